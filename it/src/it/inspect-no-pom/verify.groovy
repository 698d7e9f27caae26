import groovy.json.JsonSlurper

assert !new File(basedir, 'pom.xml').exists()
File toolsJson = new File(basedir, 'target/forge/tools.json')
assert toolsJson.isFile() : "forge:inspect without a pom did not write ./target/forge/tools.json"
def doc = new JsonSlurper().parse(toolsJson)
def names = doc.tools*.name
// server-everything 2026.8.31 lists 13 tools (without client capabilities for sampling/elicitation/roots)
assert names.size() >= 10 : "too few tools from server-everything: ${names}"
assert names.contains('echo') && names.contains('get-sum') : "${names}"
def echo = doc.tools.find { it.name == 'echo' }
assert echo.inputSchema.required == ['message']
assert echo.inputSchema.'$schema' ==~ /.*draft-07.*/ : "schema not kept as sent: ${echo.inputSchema}"
assert doc.toolsetHash ==~ /sha256:[0-9a-f]{64}/
assert doc.source.contains('mcp-server-everything')

String log = new File(basedir, 'build.log').text
assert log.contains("Found ${names.size()} tools")
assert log.contains('message* (string)')
return true
