String log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS')
assert log.contains('MCP-Forge environment')
assert log =~ /\[ok\]\s+Java\s+\d+/
assert log =~ /Cores\s+\d+ available to the JVM/
assert log =~ /Memory\s+[\d.]+ GiB total/
assert log =~ /Disk\s+[\d.]+ \w+ free at/
assert log =~ /\[ok\]\s+Native engine\s+llama\.cpp v0\.5\.0 .*CPU variant \S+/
assert log =~ /node\s+(v\d+|not found)/
assert log =~ /(?m)\[ok\]\s+OPENAI_API_KEY\s+set$/
assert !log.contains('sk-forge-it-secret-value')
assert log.contains('Qwen2.5-0.5B')
assert log.contains('Ready to train:')
// status without any state says so
assert log.contains('No pipeline state yet')
return true
