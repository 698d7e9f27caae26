// The IT builds the repository's example itself: copy examples/filesystem-agent (without its target/) here.
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption

Path source = new File(examplesDir, 'filesystem-agent').toPath()
assert Files.isRegularFile(source.resolve('pom.xml')) : "the example is missing: ${source}"
Path target = new File(basedir, 'filesystem-agent').toPath()
Files.walk(source).withCloseable { paths ->
    paths.filter { !source.relativize(it).toString().startsWith('target') }.each { Path p ->
        Path to = target.resolve(source.relativize(p).toString())
        if (Files.isDirectory(p)) {
            Files.createDirectories(to)
        } else {
            Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING)
        }
    }
}
return true
