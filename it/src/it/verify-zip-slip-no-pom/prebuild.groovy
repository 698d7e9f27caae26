// A zip with a path-traversal entry: forge:verify must refuse it before writing anything.
import java.util.zip.ZipEntry
import java.util.zip.ZipOutputStream

new ZipOutputStream(new FileOutputStream(new File(basedir, 'evil.zip'))).withCloseable { z ->
    ['agent.yaml': 'format_version: 1\n', '../../escaped.txt': 'gotcha'].each { name, text ->
        z.putNextEntry(new ZipEntry(name))
        z.write(text.bytes)
        z.closeEntry()
    }
}
return true
