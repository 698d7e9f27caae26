import java.security.MessageDigest
import java.util.zip.ZipFile

File zip = new File(basedir, 'target/package-bundle-1.0.zip')
File again = new File(basedir, 'target-again/package-bundle-1.0.zip')
assert zip.isFile() : "forge:bundle did not write ${zip}"
assert again.isFile()
assert zip.bytes == again.bytes : 'two builds of the same inputs gave different bundle zips'

File dir = new File(basedir, 'target/agent-bundle/package-bundle')
def files = ['Modelfile', 'README.md', 'agent.yaml', 'model.gguf', 'prompt_template.json', 'tests/validation.json',
             'tools.json']
files.each { assert new File(dir, it).isFile() : "missing ${it}" }

def sha = { File f -> MessageDigest.getInstance('SHA-256').digest(f.bytes).encodeHex().toString() }
String manifest = new File(dir, 'agent.yaml').text
files.findAll { it != 'agent.yaml' }.each {
    assert manifest =~ /(?m)^  ${java.util.regex.Pattern.quote(it)}: "?sha256:${sha(new File(dir, it))}"?$/ : "hash of ${it}"
}
assert manifest.contains('format_version: 1')
assert manifest.contains('version: "1.0"') : 'the version stays a string'
assert manifest.contains('created_at: "2026-11-28T10:00:00Z"') || manifest.contains('created_at: 2026-11-28T10:00:00Z')
// the bundled model is forge:gguf's q8_0 of the stand-in, stamped by forge:bundle with the GGUF metadata that
// llama.cpp's model saver drops: the chat template it was trained with and the licence (forge.license)
def gguf = dev.mcpforge.engine.gguf.GgufReader.read(new File(dir, 'model.gguf').toPath())
def q8 = dev.mcpforge.engine.gguf.GgufReader.read(new File(basedir, 'target/forge/model/model-q8_0.gguf').toPath())
assert gguf.chatTemplate().orElse(null) == dev.mcpforge.engine.chat.ChatTemplates.CHATML_TOOLS
assert gguf.getString('general.license').orElse(null) == 'Apache-2.0'
assert gguf.name().orElse(null) == 'package-bundle'
assert gguf.tensors().any { it.type() == dev.mcpforge.engine.gguf.GgmlType.Q8_0 } : 'forge:gguf did not run'
assert gguf.tensors()*.name() == q8.tensors()*.name() && gguf.tensorDataSize() == q8.tensorDataSize()
assert manifest.contains('license: Apache-2.0')

// like maven-jar-plugin's MJAR-275 IT: every entry carries the outputTimestamp (zip times are local DOS times)
def expected = java.time.LocalDateTime.parse('2026-11-28T10:00:00')
new ZipFile(zip).withCloseable { z ->
    def names = z.entries().toList().findAll { !it.directory }*.name
    assert names == files : names
    z.entries().each { e ->
        long diff = java.time.Duration.between(expected, e.getTimeLocal()).abs().toSeconds()
        assert diff <= 2 : "${e.name} has time ${e.getTimeLocal()}"
    }
}
assert new File(basedir, 'target/package-bundle-1.0-reports.zip').isFile()

String log = new File(basedir, 'build.log').text
assert log.contains('forge:train skipped (forge.train.skip=true)')
assert log.contains('forge:validate skipped (forge.validate.skip=true)')
assert new File(basedir, 'target/forge/data/eval.jsonl').isFile() : 'forge:generate did not run'
assert new File(basedir, 'target/forge/reports/qc.json').isFile() : 'forge:qa did not run'
assert log.contains('Agent bundle package-bundle 1.0: 3 tools, 3 smoke tests')
assert log.contains('OK Model metadata: tokenizer.chat_template (chatml-hermes), general.license \'Apache-2.0\'')
assert log.contains('Bundle package-bundle 1.0 verified')
assert log.contains('OK Model loads in the engine: llama')
assert log =~ /OK Smoke tests through the engine: \d\/3 passed/
assert log.contains('NOT CHECKED:')
assert !log.contains('already attached') : 'an artifact was attached twice'
return true
