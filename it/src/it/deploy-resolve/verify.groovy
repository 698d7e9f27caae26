File repo = new File(basedir, 'repo/dev/mcpforge/it/deployed/weather-agent/1.0')
assert new File(repo, 'weather-agent-1.0.zip').isFile() : 'the bundle zip was not deployed as the main artifact'
assert new File(repo, 'weather-agent-1.0-reports.zip').isFile() : 'the reports zip was not attached'
assert new File(repo, 'weather-agent-1.0.pom').text.contains('<packaging>agent-bundle</packaging>')
assert new File(repo, 'weather-agent-1.0.zip.sha1').isFile()

File resolved = new File(basedir, 'consumer/target/bundles/weather-agent-1.0.zip')
assert resolved.isFile() : 'the consumer did not resolve the bundle by its coordinates'
assert resolved.bytes == new File(repo, 'weather-agent-1.0.zip').bytes

String log = new File(basedir, 'build.log').text
assert log.contains('Bundle weather-agent 1.0 verified')
assert !log.contains('already attached')
return true
