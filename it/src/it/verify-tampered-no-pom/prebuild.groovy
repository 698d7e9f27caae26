// Builds a real bundle with the plugin's BundleService, then changes one byte of its tools.json.
import dev.mcpforge.bundle.BundleRequest
import dev.mcpforge.bundle.BundleService
import dev.mcpforge.engine.tiny.TinyModelBuilder
import dev.mcpforge.engine.tiny.TinyProfile
import dev.mcpforge.tools.FileToolProvider
import java.time.Instant

File work = new File(basedir, 'inputs')
work.mkdirs()
FileToolProvider.read(new File(basedir, 'tools.json').toPath(), 'tools.json').write(new File(work, 'tools.json').toPath())
new TinyModelBuilder().profile(TinyProfile.NANO).seed(3).contextLength(128).vocabSize(300)
        .corpus('get the weather in Paris please ' * 50).build(new File(work, 'model.gguf').toPath())
new File(work, 'eval.jsonl').text = '{"id":"e1","scenario":"standard","tool_name":"get_weather","messages":[' +
        '{"role":"user","content":"Weather in Paris?"},' +
        '{"role":"assistant","tool_calls":[{"name":"get_weather","arguments":{"location":"Paris"}}]}]}\n'
def p = { String n -> new File(work, n).toPath() }
new BundleService().build(new BundleRequest('weather', '1.0', null, p('tools.json'), p('model.gguf'),
        p('eval.jsonl'), null, null, null, 5, 0, 0.7d, Instant.parse('2026-11-28T00:00:00Z'),
        new File(basedir, 'bundle').toPath(), p('weather-1.0.zip'), null, 'MIT', null))
File tools = new File(basedir, 'bundle/tools.json')
byte[] b = tools.bytes
b[b.length.intdiv(2)] ^= 1
tools.bytes = b
return true
