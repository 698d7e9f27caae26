// A re-run without mvn clean starts from an empty directory again: the generated project, the file repository, and
// the copy the consumer resolved into the IT's local repository (a release is not re-fetched) are removed.
new File(basedir, 'my-agent').deleteDir()
new File(basedir, 'repo').deleteDir()
new File(localRepositoryPath, 'dev/mcpforge/it/e2e').deleteDir()
return true
