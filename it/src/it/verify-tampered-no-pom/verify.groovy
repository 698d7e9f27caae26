String log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE')
assert log.contains('sha256 mismatch for tools.json: agent.yaml says sha256:') : 'the tampered file is not named'
assert log.contains('the file was changed after packaging')
assert !log.contains('Bundle weather 1.0 verified')
return true
