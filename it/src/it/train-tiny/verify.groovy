import groovy.json.JsonSlurper

File model = new File(basedir, 'target/forge/model/model-f32.gguf')
assert model.isFile() && model.length() > 1000000 : "forge:train did not write ${model}"
File report = new File(basedir, 'target/forge/reports/training.json')
def r = new JsonSlurper().parse(report)
assert r.config.profile == 'fast_dev'
assert r.configSha256 ==~ /[0-9a-f]{64}/
assert r.baseModel.spec == 'tiny' && r.baseModel.architecture == 'llama'
// forge.toolPrompt=auto on the tiny model: no tool list in the system turn (ChatML's chatml-implicit variant)
assert r.config.toolPrompt == 'none' && r.baseModel.chatFormat == 'chatml-implicit'
assert r.epochs.size() == 3
// three epochs (15 rows each on the graph core: the shared system turn and ~3 samples per row): the held-out loss on
// the assistant tokens (tool calls and answers, harder than the prompt text llama-opt also scored) is well below a
// uniform guess over the vocabulary
assert r.epochs[-1].evalLoss < 0.6 * Math.log(r.baseModel.vocabulary as double) : "eval loss ${r.epochs[-1].evalLoss}"
assert r.dataset.sharedPrefixTokens > 0 : 'shared-prefix packing should apply to samples sharing the system turn'
// the default core is the project's own ggml graph: every tensor trains, the loss is on the assistant turns
assert r.core == 'graph' && r.lossOn == 'assistant'
assert r.dataset.scored.contains('assistant turns only')
assert r.trainedTensors.contains('token_embd.weight') && r.frozenTensors.isEmpty()
assert new File(basedir, 'target/forge/reports/training-loss.svg').text.contains('<svg')
def st = new JsonSlurper().parse(new File(basedir, 'target/forge/state.json'))
assert st.stages*.stage.contains('train')

String log = new File(basedir, 'build.log').text
assert log.contains('Memory estimate')
assert log =~ /epoch 3\/3 done: train loss/
assert log.contains('forge:train up to date')
return true
