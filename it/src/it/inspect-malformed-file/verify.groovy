String log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE')
assert log =~ /malformed JSON in tools file \S*broken-tools.json at line 3, column \d+/
assert log.contains('Fix the syntax there')
assert !new File(basedir, 'target/forge/tools.json').exists()
return true
