package dev.mcpforge.data;

import java.util.List;

/** Built-in no-tool material: general questions with answers, and requests no MCP tool here can serve. */
final class GeneralPool {

    private GeneralPool() {
    }

    record QA(String question, String answer) {
    }

    /** Out-of-scope request: what the user wants, keywords (skipped when the toolset covers them), and a verb phrase. */
    record OutOfScope(String request, String keywords, String task) {
    }

    static final List<QA> GENERAL = List.of(
            new QA("What is the capital of France?", "The capital of France is Paris."),
            new QA("How many days are in a leap year?", "A leap year has 366 days; February gets a 29th day."),
            new QA("What is 12 times 12?", "12 times 12 is 144."),
            new QA("Who wrote Romeo and Juliet?", "Romeo and Juliet was written by William Shakespeare."),
            new QA("What is the boiling point of water at sea level?",
                    "At sea level water boils at 100 °C (212 °F)."),
            new QA("Can you explain what an API is in one sentence?",
                    "An API is a defined set of rules that lets one program request data or actions from another."),
            new QA("What does HTTP stand for?", "HTTP stands for Hypertext Transfer Protocol."),
            new QA("How many continents are there?",
                    "There are seven continents: Africa, Antarctica, Asia, Australia, Europe, North America and South America."),
            new QA("What is the largest planet in our solar system?", "Jupiter is the largest planet in our solar system."),
            new QA("Give me a synonym for 'happy'.", "A synonym for 'happy' is 'cheerful'; 'content' and 'joyful' also work."),
            new QA("What is the difference between RAM and disk storage?",
                    "RAM is fast, temporary memory used while programs run; disk storage is slower but keeps data after power-off."),
            new QA("How do I say 'thank you' in Spanish?", "'Thank you' in Spanish is 'gracias'."),
            new QA("What is the square root of 81?", "The square root of 81 is 9."),
            new QA("Why is the sky blue?",
                    "Sunlight scatters off air molecules, and blue light scatters much more than red, so the sky looks blue."),
            new QA("What is a prime number?", "A prime number is a whole number greater than 1 whose only divisors are 1 and itself, like 2, 3, 5 and 7."),
            new QA("Tell me a fun fact about octopuses.", "Octopuses have three hearts and blue, copper-based blood."),
            new QA("What's a good way to stay focused while working?",
                    "Work in short focused blocks (for example 25 minutes), silence notifications, and take a short break between blocks."),
            new QA("How many minutes are in a day?", "A day has 1,440 minutes (24 × 60)."),
            new QA("What is photosynthesis?",
                    "Photosynthesis is how plants use sunlight, water and carbon dioxide to make sugar and release oxygen."),
            new QA("Who painted the Mona Lisa?", "The Mona Lisa was painted by Leonardo da Vinci."),
            new QA("What is the chemical symbol for gold?", "The chemical symbol for gold is Au."),
            new QA("Explain recursion briefly.", "Recursion is when a function solves a problem by calling itself on smaller versions of the same problem until it reaches a simple base case."),
            new QA("What is 15% of 200?", "15% of 200 is 30."),
            new QA("How many bytes are in a kilobyte?", "A kilobyte is 1,000 bytes in SI units; a kibibyte (KiB) is 1,024 bytes."),
            new QA("What's the freezing point of water in Fahrenheit?", "Water freezes at 32 °F."),
            new QA("Which ocean is the largest?", "The Pacific Ocean is the largest ocean on Earth."),
            new QA("What does CPU stand for?", "CPU stands for Central Processing Unit."),
            new QA("Can you suggest a name for a pet goldfish?", "How about 'Bubbles', 'Goldie' or 'Finn'?"),
            new QA("What is the speed of light?", "Light travels at about 299,792 kilometres per second in a vacuum."),
            new QA("How do I convert Celsius to Fahrenheit?", "Multiply the Celsius value by 9/5 and add 32; for example 20 °C is 68 °F."),
            new QA("What is the tallest mountain in the world?", "Mount Everest is the tallest mountain above sea level, at about 8,849 metres."),
            new QA("What's the plural of 'mouse'?", "The plural of 'mouse' is 'mice' (for computer mice, 'mouses' is also seen)."),
            new QA("Hi! How are you today?", "I'm doing well, thanks for asking! How can I help you today?"),
            new QA("Thanks, that's all I needed.", "You're welcome! Let me know if you need anything else."),
            new QA("What is JSON?", "JSON (JavaScript Object Notation) is a lightweight text format for structured data made of objects, arrays, strings, numbers, booleans and null."),
            new QA("What year did the first person walk on the moon?", "Neil Armstrong walked on the Moon in 1969, during the Apollo 11 mission."),
            new QA("What is the longest river in the world?", "The Nile and the Amazon are the two longest rivers; the Nile is usually listed at about 6,650 km."),
            new QA("Summarize what a unit test is.", "A unit test checks one small piece of code, such as a single function, in isolation to confirm it behaves as expected."),
            new QA("What is the main ingredient in guacamole?", "The main ingredient in guacamole is avocado."),
            new QA("How many sides does a hexagon have?", "A hexagon has six sides."),
            new QA("What's the difference between weather and climate?", "Weather is the short-term state of the atmosphere; climate is the average pattern of weather over many years."),
            new QA("Can you write a haiku about autumn?", "Crisp leaves drift and fall,\ngolden light on quiet paths,\nthe year exhales slow."),
            new QA("What is Git?", "Git is a distributed version control system that tracks changes to files and lets people work on code together."),
            new QA("Is a tomato a fruit or a vegetable?", "Botanically a tomato is a fruit, though in cooking it is usually treated as a vegetable."));

    static final List<OutOfScope> OUT_OF_SCOPE = List.of(
            new OutOfScope("Send an email to my manager saying I'll be late.", "email mail send", "send emails"),
            new OutOfScope("Book me a flight to Rome next Tuesday.", "flight book travel", "book flights"),
            new OutOfScope("Order a large pepperoni pizza for delivery.", "order pizza food delivery", "order food"),
            new OutOfScope("Set an alarm for 6:30 tomorrow morning.", "alarm clock", "set alarms"),
            new OutOfScope("Play some relaxing jazz music.", "music play audio", "play music"),
            new OutOfScope("Call my mom on her cell phone.", "call phone", "make phone calls"),
            new OutOfScope("What's the current stock price of Apple?", "stock price market finance", "look up stock prices"),
            new OutOfScope("Turn off the lights in the living room.", "lights home device", "control smart-home devices"),
            new OutOfScope("Post this photo to my Instagram.", "instagram social post", "post to social media"),
            new OutOfScope("Transfer 200 dollars to my savings account.", "bank transfer money payment", "move money"),
            new OutOfScope("Reserve a table for two at an Italian restaurant tonight.", "restaurant reserve table", "make reservations"),
            new OutOfScope("Translate this paragraph into Japanese and print it.", "translate print printer", "print documents"),
            new OutOfScope("Schedule a meeting with the design team on Friday.", "calendar meeting schedule", "manage calendars"),
            new OutOfScope("Check the traffic on my route to work.", "traffic route map", "check traffic"),
            new OutOfScope("Buy the new headphones I looked at yesterday.", "buy shop purchase", "make purchases"),
            new OutOfScope("Text Sarah that I'm on my way.", "sms text message", "send text messages"),
            new OutOfScope("Start the robot vacuum.", "vacuum robot device", "control appliances"),
            new OutOfScope("Renew my passport online.", "passport government", "handle government services"));
}
