import groovy.json.JsonSlurper

assert !new File(basedir, 'pom.xml').exists()
File toolsJson = new File(basedir, 'target/forge/tools.json')
assert toolsJson.isFile() : "forge:inspect without a pom did not write ./target/forge/tools.json"
def doc = new JsonSlurper().parse(toolsJson)
assert doc.tools*.name == ['search_docs', 'ping']
assert doc.tools[0].inputSchema.required == ['query']
assert doc.tools[1].inputSchema == [type: 'object', properties: [:]]
assert doc.toolsetHash ==~ /sha256:[0-9a-f]{64}/

String log = new File(basedir, 'build.log').text
assert log.contains('Found 2 tools in openai-tools.json:')
assert log.contains('Parameters: query* (string), limit (integer)')
assert log.contains('Parameters: (none)')
return true
