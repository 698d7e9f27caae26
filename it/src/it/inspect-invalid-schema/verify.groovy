String log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE')
assert log.contains("tool 'get_forecast': inputSchema/properties/days/type")
assert log.contains('(draft-07)')
assert !log.contains("tool 'get_weather':")
assert !new File(basedir, 'target/forge/tools.json').exists()
return true
