// The stages this branch does not run (generate, qa, train, validate, gguf) are replaced by prepared inputs:
// a seeded tiny GGUF from the engine's TinyModelBuilder, an eval set and a qc report, under inputs/.
import dev.mcpforge.engine.chat.ChatTemplates
import dev.mcpforge.engine.tiny.TinyModelBuilder
import dev.mcpforge.engine.tiny.TinyProfile

File inputs = new File(basedir, 'producer/inputs')
new File(inputs, 'reports').mkdirs()
String corpus = ('<|im_start|>user\nWeather in Paris?<|im_end|>\n<|im_start|>assistant\n<tool_call>\n' +
        '{"name": "get_weather", "arguments": {"location": "Paris"}}\n</tool_call><|im_end|>\n') * 20
new TinyModelBuilder().profile(TinyProfile.NANO).seed(7).contextLength(256).vocabSize(300).corpus(corpus)
        .chatTemplate(ChatTemplates.CHATML_TOOLS).build(new File(inputs, 'model.gguf').toPath())
def sample = { String id, String tool, String user, String args ->
    '{"id":"' + id + '","source":"offline","scenario":"standard","tool_name":"' + tool + '","messages":[' +
            '{"role":"system","content":"You are a weather assistant."},{"role":"user","content":"' + user + '"},' +
            '{"role":"assistant","tool_calls":[{"name":"' + tool + '","arguments":' + args + '}]},' +
            '{"role":"tool","name":"' + tool + '","content":"sunny"},{"role":"assistant","content":"It is sunny."}]}'
}
new File(inputs, 'eval.jsonl').text = [
        sample('e1', 'get_weather', 'Weather in Paris?', '{"location":"Paris"}'),
        sample('e2', 'get_forecast', 'Forecast for Oslo, 3 days', '{"location":"Oslo","days":3}'),
        sample('e3', 'get_alerts', 'Any alerts for Miami?', '{"location":"Miami"}')].join('\n') + '\n'
new File(inputs, 'reports/qc.json').text = '{"total_samples": 30, "valid_samples": 30, "schema_pass_rate": 1.0}\n'
return true
