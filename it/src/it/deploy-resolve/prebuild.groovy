// forge:train is skipped in the producer (forge.train.skip, see producer/pom.xml): its output is stood in for by a
// seeded tiny F32 GGUF from the engine's TinyModelBuilder, as llama_model_save_to_file leaves a trained model (no
// chat template).
import dev.mcpforge.engine.gguf.GgufReader
import dev.mcpforge.engine.gguf.GgufWriter
import dev.mcpforge.engine.tiny.TinyModelBuilder
import dev.mcpforge.engine.tiny.TinyProfile

// a re-run (without mvn clean) must not see the previous run's deployment: the file repository and the copy the
// consumer resolved into the IT's local repository (a release is not re-fetched) would hide a changed bundle
new File(basedir, 'repo').deleteDir()
new File(localRepositoryPath, 'dev/mcpforge/it/deployed').deleteDir()

File inputs = new File(basedir, 'producer/inputs')
inputs.mkdirs()
String corpus = ('<|im_start|>user\nWeather in Paris?<|im_end|>\n<|im_start|>assistant\n<tool_call>\n' +
        '{"name": "get_weather", "arguments": {"location": "Paris"}}\n</tool_call><|im_end|>\n') * 20
def model = new File(inputs, 'model.gguf').toPath()
new TinyModelBuilder().profile(TinyProfile.NANO).seed(7).contextLength(256).vocabSize(300).corpus(corpus).build(model)
GgufWriter.copy(GgufReader.read(model), model, ['tokenizer.chat_template': null])
return true
