println "E2E files: " + new File(basedir, 'repo').exists()
return true
