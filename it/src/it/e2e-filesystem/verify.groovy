import groovy.json.JsonSlurper
import java.util.zip.ZipFile

File project = new File(basedir, 'filesystem-agent')
String log = new File(basedir, 'build.log').text
def json = { String text -> new JsonSlurper().parseText(text) }
List<String> metricKeys = ['tool_call_validity', 'schema_conformance', 'tool_selection_accuracy', 'no_tool_correctness',
                           'robustness', 'loop_completion']

// 1: the sandbox was created before the server started, the full lifecycle ran against the real server-filesystem
assert log.contains('Copying 7 resources from src/sandbox to target/sandbox')
assert log =~ /Found 14 tools in \S+mcp-server-filesystem \S+target\/sandbox/ : 'forge:inspect did not list the live server'
['inspect', 'generate', 'qa', 'train', 'validate', 'gguf', 'bundle', 'verify'].each {
    assert log =~ /--- forge:[^:]+:${it} \(default-${it}\) @ filesystem-agent ---/ : "forge:${it} did not run"
}
assert log =~ /Trained tiny in \d+ s/ : 'training did not run'
assert log =~ /Bundle filesystem-agent 1.0.0 verified/
assert log.contains("OK No schema drift: the live server's toolset hash equals the manifest's")

// the attached reports zip carries the validation report of step 1 (generated eval set): every metric, with its
// threshold and verdict (step 2 overwrites target/forge/reports/validation.json)
assert new File(project, 'target/filesystem-agent-1.0.0.zip').isFile() : 'no bundle'
File reportsZip = new File(project, 'target/filesystem-agent-1.0.0-reports.zip')
assert reportsZip.isFile() : 'no reports zip'
def bundled = new ZipFile(reportsZip).withCloseable { z ->
    def e = z.entries().toList().find { it.name == 'validation.json' || it.name.endsWith('/validation.json') }
    assert e != null : "the reports zip has no validation.json: ${z.entries().toList()*.name}"
    json(z.getInputStream(e).text)
}
metricKeys.each { k ->
    assert bundled.metrics[k] != null : "metric ${k} missing from the bundled validation report"
    assert bundled.metrics[k].threshold instanceof Number && bundled.metrics[k].passed instanceof Boolean
}
assert bundled.cases.size() == 4

// 2: the gate: the hand-made set ran against the live server and the build failed with the gate's message
File report = new File(project, 'target/forge/reports/validation.json')
def handmade = json(report.text)
assert handmade.eval_set.endsWith('handmade.jsonl')
assert handmade.cases.size() == 4 && handmade.cases.every { it.id.startsWith('fs-hand-') }
metricKeys.each { assert handmade.metrics[it] != null : "metric ${it} missing from the hand-made validation report" }
assert handmade.passed == false && !handmade.threshold_failures.isEmpty()
assert log.contains('The model fails the release criteria: ') : 'the gate did not fail the build with its message'
handmade.threshold_failures.each { assert log.contains(it) : "the gate message does not name ${it}" }
println "e2e-filesystem: bundled metrics ${metricKeys.collectEntries { [(it): bundled.metrics[it].rate] }}; " +
        "hand-made set failed the gate on ${handmade.threshold_failures}"
return true
