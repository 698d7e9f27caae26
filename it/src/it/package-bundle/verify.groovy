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
assert new File(dir, 'model.gguf').bytes == new File(basedir, 'inputs/model.gguf').bytes

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
assert log.contains('Agent bundle package-bundle 1.0: 3 tools, 3 smoke tests')
assert log.contains('Bundle package-bundle 1.0 verified')
assert log.contains('OK Model loads in the engine: llama')
assert log =~ /OK Smoke tests through the engine: \d\/3 passed/
assert log.contains('NOT CHECKED:')
assert !log.contains('already attached') : 'an artifact was attached twice'
return true
