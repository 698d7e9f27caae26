String log = new File(basedir, 'build.log').text
assert log.contains("entry '../../escaped.txt': it contains '..'")
assert log.contains('is refused, nothing was unpacked')
assert !new File(basedir, 'target/forge/verify/evil').exists() : 'something was unpacked'
assert !new File(basedir, '../escaped.txt').exists()
assert !new File(basedir, 'target/escaped.txt').exists()
return true
