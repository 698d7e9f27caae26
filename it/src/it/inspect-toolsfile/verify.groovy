import groovy.json.JsonSlurper

File toolsJson = new File(basedir, 'target/forge/tools.json')
assert toolsJson.isFile() : "forge:inspect did not write ${toolsJson}"
def doc = new JsonSlurper().parse(toolsJson)
assert doc.source == 'tools.yaml'
assert doc.tools*.name == ['get_weather', 'get_forecast', 'get_alerts']
assert doc.tools[1].inputSchema.properties.days.maximum == 14
assert doc.tools[0].inputSchema.'$schema' == 'http://json-schema.org/draft-07/schema#'
// the toolset hash is a pure function of the tools (same input -> same hash on every machine);
// cross-checked with Python: sha256 of json.dumps(tools, sort_keys=True, separators=(',', ':'))
assert doc.toolsetHash == 'sha256:2b334cd7fa4c925a2e4ccbee3e140173897fedb30149c44af358e3a6b2139131'

File state = new File(basedir, 'target/forge/state.json')
assert state.isFile()
def st = new JsonSlurper().parse(state)
assert st.stages*.stage == ['inspect']
assert st.stages[0].outputs[0].path == 'target/forge/tools.json'
assert st.stages[0].details.toolsetHash == doc.toolsetHash

String log = new File(basedir, 'build.log').text
assert log.contains('Found 3 tools in tools.yaml:')
assert log.contains('Parameters: location* (string), days (integer)')
assert log.contains('Toolset hash: ' + doc.toolsetHash)
assert log.contains('forge:inspect runs: no earlier run recorded')
assert log.contains('forge:inspect is up to date')
assert log =~ /inspect\s+[0-9a-f]{12}\s+\S+ \S+\s+yes\s+target\/forge\/tools.json/
return true
