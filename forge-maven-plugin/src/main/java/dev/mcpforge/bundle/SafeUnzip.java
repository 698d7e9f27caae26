package dev.mcpforge.bundle;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Unpacks a bundle zip after checking every entry name first: an entry with {@code ..}, an absolute path, a drive
 * letter, a backslash, a symbolic link or a duplicate name refuses the whole zip before a single byte is written
 * (the zip-slip class of bugs). Reading goes through commons-compress, which reads the central directory.
 */
public final class SafeUnzip {

    private SafeUnzip() {
    }

    /** Unpacks {@code zip} into {@code dest} (created; must be empty or absent). */
    public static void unzip(Path zip, Path dest) throws BundleException, IOException {
        List<ZipArchiveEntry> entries;
        try (ZipFile zf = ZipFile.builder().setPath(zip).get()) {
            entries = Collections.list(zf.getEntries());
            List<String> problems = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            Path root = dest.toAbsolutePath().normalize();
            for (ZipArchiveEntry e : entries) {
                String name = e.getName();
                String why = unsafe(name);
                if (why == null && !root.resolve(name).normalize().startsWith(root)) {
                    why = "it resolves outside the bundle directory";
                }
                if (why == null && e.isUnixSymlink()) {
                    why = "it is a symbolic link";
                }
                if (why == null && !seen.add(name)) {
                    why = "the name occurs twice";
                }
                if (why != null) {
                    problems.add("entry '" + name + "': " + why);
                }
            }
            if (!problems.isEmpty()) {
                throw new BundleException(zip + " is refused, nothing was unpacked: " + String.join("; ", problems)
                        + ". A bundle zip holds only relative paths inside the bundle; rebuild it with forge:bundle");
            }
            Files.createDirectories(root);
            for (ZipArchiveEntry e : entries) {
                Path target = root.resolve(e.getName()).normalize();
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = zf.getInputStream(e)) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** Why an entry name is not a plain relative path, or null when it is. */
    static String unsafe(String name) {
        if (name.isEmpty()) {
            return "the name is empty";
        }
        if (name.startsWith("/") || name.startsWith("\\")) {
            return "it is an absolute path";
        }
        if (name.length() > 1 && name.charAt(1) == ':') {
            return "it starts with a drive letter";
        }
        if (name.indexOf('\\') >= 0) {
            return "it contains a backslash";
        }
        if (name.indexOf('\0') >= 0) {
            return "it contains a NUL character";
        }
        for (String seg : name.split("/")) {
            if (seg.equals("..")) {
                return "it contains '..'";
            }
        }
        return null;
    }
}
