// A loopback OpenAI-compatible teacher on a fixed port (the IT's pom points forge.teacher.baseUrl at it):
// seeds for tool prompts, general questions for the no-tool prompt, paraphrases otherwise.
import com.sun.net.httpserver.HttpServer
import groovy.json.JsonOutput
import groovy.json.JsonSlurper

def seeds = [
    current_time : [[request: 'What time is it in Europe/Paris right now?', arguments: [timezone: 'Europe/Paris']],
                    [request: 'Current time in Asia/Tokyo, please.', arguments: [timezone: 'Asia/Tokyo']]],
    get_week_year: [[request: 'Which week of the year is 2025-03-23?', arguments: [date: '2025-03-23']],
                    [request: 'Week number for 2024-12-30?', arguments: [date: 2024]]],   // not a string: rejected
]
def server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 18765), 0)
def auth = Collections.synchronizedList([])
server.createContext('/v1/chat/completions') { ex ->
    def req = new JsonSlurper().parse(ex.requestBody)
    auth << ex.requestHeaders.getFirst('Authorization')
    String user = req.messages.find { it.role == 'user' }.content
    def m = user =~ /(?m)^Tool name: (\S+)/
    String text
    if (m.find()) {
        text = JsonOutput.toJson(seeds[m.group(1)] ?: [])
    } else if (user.contains('need none of')) {
        text = JsonOutput.toJson([[request: 'What is the boiling point of water at sea level?',
                                   answer : 'About 100 degrees Celsius.']])
    } else {
        text = 'In other words: ' + user
    }
    byte[] body = JsonOutput.toJson([id     : 'chatcmpl-it', object: 'chat.completion', created: 1700000000,
                                     model  : 'tiny-teacher',
                                     choices: [[index  : 0, finish_reason: 'stop',
                                                message: [role: 'assistant', content: text, refusal: null]]]])
            .getBytes('UTF-8')
    ex.responseHeaders.add('Content-Type', 'application/json')
    ex.sendResponseHeaders(200, body.length)
    ex.responseBody.write(body)
    ex.close()
}
server.start()
System.getProperties().put('forge.it.teacher.server', server)
System.getProperties().put('forge.it.teacher.auth', auth)
return true
