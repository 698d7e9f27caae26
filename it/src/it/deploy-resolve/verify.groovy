File repo = new File(basedir, 'repo/dev/mcpforge/it/deployed/weather-agent/1.0')
assert new File(repo, 'weather-agent-1.0.zip').isFile() : 'the bundle zip was not deployed as the main artifact'
assert new File(repo, 'weather-agent-1.0-reports.zip').isFile() : 'the reports zip was not attached'
assert new File(repo, 'weather-agent-1.0.pom').text.contains('<packaging>agent-bundle</packaging>')
assert new File(repo, 'weather-agent-1.0.zip.sha1').isFile()

File resolved = new File(basedir, 'consumer/target/bundles/weather-agent-1.0.zip')
assert resolved.isFile() : 'the consumer did not resolve the bundle by its coordinates'
assert resolved.bytes == new File(repo, 'weather-agent-1.0.zip').bytes

// the resolved bundle's model carries the chat template and the licence (here the producer pom's <licenses>)
def unpacked = new File(basedir, 'consumer/target/forge/verify/weather-agent-1.0/model.gguf')
assert unpacked.isFile() : 'forge:verify did not unpack the resolved bundle where expected'
def gguf = dev.mcpforge.engine.gguf.GgufReader.read(unpacked.toPath())
assert gguf.chatTemplate().orElse(null) == dev.mcpforge.engine.chat.ChatTemplates.CHATML_TOOLS
assert gguf.getString('general.license').orElse(null) == 'MIT'

String log = new File(basedir, 'build.log').text
assert log.contains('Bundle weather-agent 1.0 verified')
assert !log.contains('already attached')
return true
