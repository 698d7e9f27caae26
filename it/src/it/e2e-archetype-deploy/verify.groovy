import java.util.zip.ZipFile

File project = new File(basedir, 'my-agent')
String log = new File(basedir, 'build.log').text

// 1: the archetype scaffolded the project with the real server
String pom = new File(project, 'pom.xml').text
assert pom.contains('<packaging>agent-bundle</packaging>')
assert pom =~ /<forge.server>[^<]*\/mcp-server-everything<\/forge.server>/ : 'the server is not in the generated pom'
assert new File(project, 'README.md').text.contains('forge.samples')

// 2 and 3: the full lifecycle ran twice from clean (verify only in the deploy build), training included
def runs = { String goal -> (log =~ /--- forge:[^:]+:${goal} \(default-${goal}\) @ my-agent ---/).size() }
['inspect', 'generate', 'qa', 'train', 'validate', 'gguf', 'bundle'].each { assert runs(it) == 2 : "forge:${it} ran ${runs(it)} times" }
assert runs('verify') == 1
assert (log =~ /Trained tiny in \d+ s/).size() == 2 : 'training did not run in both builds'
assert log.contains('Validation Results') && log.contains('Model fails release criteria') :
        'the live validation did not run (or, unexpectedly, an untrained tiny model met the release criteria)'
File validation = new File(project, 'target/forge/reports/validation.json')
assert validation.isFile() && validation.text.contains('"metrics"') : 'the validation report was not written'

// llama.cpp's model saver drops the chat template: forge:train put it back (with the base model recorded),
// forge:gguf kept it, forge:bundle stamped the licence (no forge.license, no <licenses>: "unspecified"). The tiny
// model's system turn lists no tools (forge.toolPrompt=auto), so its template is CHATML_IMPLICIT_TOOLS throughout
assert log.contains('tools in the prompt: none (the model learns its tools from the data) (forge.toolPrompt=auto, tiny base model)')
def trained = dev.mcpforge.engine.gguf.GgufReader.read(new File(project, 'target/forge/model/model-q8_0.gguf').toPath())
assert trained.chatTemplate().orElse(null) == dev.mcpforge.engine.chat.ChatTemplates.CHATML_IMPLICIT_TOOLS
assert trained.getString('general.base_model.0.name').orElse('').startsWith('mcp-forge-tiny')
def bundled = dev.mcpforge.engine.gguf.GgufReader.read(new File(project, 'target/agent-bundle/my-agent/model.gguf').toPath())
assert bundled.chatTemplate().orElse(null) == dev.mcpforge.engine.chat.ChatTemplates.CHATML_IMPLICIT_TOOLS
assert bundled.getString('general.license').orElse(null) == 'unspecified'
assert bundled.name().orElse(null) == 'my-agent'
assert new File(project, 'target/forge/reports/training.json').text.contains('"restoredMetadata"')

// deployed to the file repository
File repo = new File(basedir, 'repo/dev/mcpforge/it/e2e/my-agent/1.0')
File deployed = new File(repo, 'my-agent-1.0.zip')
assert deployed.isFile() : 'the bundle zip was not deployed as the main artifact'
assert new File(repo, 'my-agent-1.0-reports.zip').isFile() : 'the reports zip was not attached'
assert new File(repo, 'my-agent-1.0.pom').text.contains('<packaging>agent-bundle</packaging>')

// two `clean package` builds of the same project (same inputs, seed and thread count) give the same bundle bytes
File rebuilt = new File(project, 'target/my-agent-1.0.zip')
assert rebuilt.isFile()
def entries = { File f -> new ZipFile(f).withCloseable { z -> z.entries().toList().findAll { !it.directory }
        .collectEntries { [(it.name): z.getInputStream(it).bytes] } } }
Map first = entries(deployed), second = entries(rebuilt)
assert first.keySet() == second.keySet()
def differing = first.keySet().findAll { first[it] != second[it] }
assert differing.isEmpty() : "two builds of the same inputs differ in ${differing} (see docs/bundle.md, Reproducibility)"
assert deployed.bytes == rebuilt.bytes : 'same entries, but the zip bytes differ (entry metadata)'
println "e2e: the rebuilt bundle is byte-identical to the deployed one (${deployed.length()} bytes, ${first.size()} files)"

// 4: the consumer resolved the bundle by coordinates and verified it, with schema drift against the live server
File resolved = new File(basedir, 'consumer/target/bundles/my-agent-1.0.zip')
assert resolved.isFile() : 'the consumer did not resolve the bundle by its coordinates'
assert resolved.bytes == deployed.bytes
assert (log =~ /Bundle my-agent 1.0 verified/).size() == 2
assert log.contains('OK Model loads in the engine')
assert log.contains("OK No schema drift: the live server's toolset hash equals the manifest's")
assert !log.contains('already attached')
return true
