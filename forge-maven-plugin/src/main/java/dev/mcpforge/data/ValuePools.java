package dev.mcpforge.data;

import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Realistic string values chosen by what a parameter's name, description and {@code format} say it holds. Built in
 * (not a faker library) because the values must be few, stable across versions (same seed, same bytes) and safe to
 * show verbatim in a user request.
 */
final class ValuePools {

    private ValuePools() {
    }

    static final List<String> DIRS = List.of("/home/alex/projects", "/data/reports", "/var/log/app", "/srv/www",
            "/home/maria/documents", "/tmp/build", "/opt/service/config", "/workspace/notes", "/users/sam/Desktop",
            "/mnt/shared/archive", "src/main/resources", "docs", "notes/2024", "backups/db", "assets/images");
    static final List<String> FILES = List.of("README.md", "report.txt", "notes.md", "config.yaml", "server.log",
            "data.csv", "summary.json", "todo.txt", "index.html", "main.py", "App.java", "settings.toml",
            "budget-2024.xlsx", "meeting-notes.txt", "changelog.md", "photo.png", "schema.sql", "invoice_042.pdf");
    static final List<String> GLOBS = List.of("*.txt", "*.md", "*.log", "*.json", "**/*.java", "*.csv", "report*",
            "node_modules", "*.tmp", "build", "*.py", ".git");
    static final List<String> URLS = List.of("https://example.com/docs/guide.html", "https://example.org/data.json",
            "https://api.example.net/v1/status", "https://files.example.com/archive/readme.txt",
            "https://example.com/blog/2024/release-notes", "https://git.example.org/team/project.git",
            "https://downloads.example.com/latest.tar.gz", "https://www.example.edu/courses/intro");
    static final List<String> EMAILS = List.of("alice@example.com", "bob.smith@example.org", "dev-team@example.net",
            "maria.garcia@example.com", "support@example.io", "j.chen@example.edu", "ops@example.com");
    static final List<String> PEOPLE = List.of("Alice Johnson", "Bob Smith", "Maria Garcia", "Chen Wei", "Priya Patel",
            "Omar Haddad", "Lena Fischer", "Kenji Tanaka", "Sofia Rossi", "David Okafor", "Emma Brown", "Lucas Silva");
    static final List<String> ENTITY_NAMES = List.of("Alice Johnson", "Project Apollo", "Acme Corp", "Berlin Office",
            "Bob Smith", "Marketing Team", "Quarterly Review", "Maria Garcia", "Data Pipeline", "Chen Wei",
            "Customer Portal", "Green Initiative");
    static final List<String> ENTITY_TYPES = List.of("person", "organization", "project", "location", "event",
            "team", "product", "document");
    static final List<String> RELATIONS = List.of("works_at", "manages", "knows", "located_in", "part_of", "owns",
            "reports_to", "collaborates_with");
    static final List<String> SENTENCES = List.of("Prefers morning meetings", "Hello from the build server",
            "Fix null check in the parser", "Ship the release candidate on Friday", "Speaks fluent Spanish",
            "Update the onboarding guide", "Remember to renew the TLS certificate", "Lives in Lisbon",
            "Add unit tests for the billing module", "The quarterly numbers look good", "Refactor the login flow",
            "Allergic to peanuts", "Migrated the database to version 14", "Loves hiking on weekends",
            "Bump dependencies to the latest patch versions", "Draft the customer newsletter");
    static final List<String> TOPICS = List.of("climate change", "quantum computing", "renewable energy", "jazz history",
            "machine learning", "urban gardening", "the Roman empire", "electric cars", "sleep science",
            "coffee roasting", "ocean currents", "space exploration", "open source licensing", "bird migration");
    static final List<String> QUERIES = List.of("invoice", "project apollo", "alice", "error timeout", "budget",
            "release notes", "berlin", "meeting", "TODO", "deprecated", "customer feedback", "login");
    static final List<String> TIMEZONES = List.of("Europe/Berlin", "America/New_York", "Asia/Tokyo", "Europe/London",
            "America/Los_Angeles", "Australia/Sydney", "Asia/Kolkata", "America/Sao_Paulo", "Africa/Cairo", "UTC");
    static final List<String> CITIES = List.of("Tokyo", "Paris", "New York", "Berlin", "Lagos", "Sydney", "Toronto",
            "Mumbai", "Mexico City", "Seoul", "Cairo", "Lisbon");
    static final List<String> TABLES = List.of("users", "orders", "products", "customers", "invoices", "employees",
            "events", "inventory");
    static final List<String> SQL = List.of("SELECT * FROM users WHERE active = 1",
            "SELECT name, email FROM customers ORDER BY name", "SELECT COUNT(*) FROM orders",
            "SELECT * FROM products WHERE price > 100", "SELECT id, total FROM invoices WHERE paid = 0",
            "SELECT department, AVG(salary) FROM employees GROUP BY department");
    static final List<String> BRANCHES = List.of("main", "develop", "feature-login", "bugfix-42", "release-2.1",
            "hotfix-payment", "experiment-cache", "docs-update", "feature-search", "refactor-api");
    static final List<String> REFS = List.of("HEAD~1", "a1b2c3d", "v1.2.0", "main", "9f8e7d6", "HEAD", "origin/main",
            "release-2.1", "3c4d5e6f");
    static final List<String> TAGS = List.of("v1.0.0", "v1.2.0", "v2.0.0-rc1", "v0.9.3", "release-2024-03");
    static final List<String> REMOTES = List.of("origin", "upstream", "fork", "backup");
    static final List<String> WORDS = List.of("alpha", "budget", "draft", "summary", "weekly", "archive", "staging",
            "customer", "project", "release", "notes", "inventory", "roadmap", "sprint");
    static final List<String> DATES = List.of("2024-03-15", "2023-12-31", "2025-01-01", "2024-07-04", "2022-02-28",
            "2024-02-29", "2025-06-30", "2023-10-09");
    static final List<String> DATETIMES = List.of("2024-03-15T09:30:00Z", "2023-12-31T23:59:59Z",
            "2025-01-01T00:00:00Z", "2024-07-04T14:15:00Z", "2024-11-20T08:00:00Z", "2025-05-02T17:45:30Z");
    static final List<String> TIMES = List.of("09:30", "14:00", "18:45", "07:15", "12:00", "22:30");
    static final List<String> TIME_EXPRESSIONS = List.of("2024-03-15 09:30:00", "2025-01-01 00:00:00",
            "2023-12-31 23:59:59", "2024-07-04 14:15:00", "2024-11-20 08:00:00", "2025-05-02 17:45:30");

    static <T> T pick(List<T> list, Random r) {
        return list.get(r.nextInt(list.size()));
    }

    /** A value for a string parameter, by hints; {@code name} and {@code description} may be empty. */
    static String string(String name, String description, String format, Random r) {
        String n = name.toLowerCase(Locale.ROOT);
        String d = description.toLowerCase(Locale.ROOT);
        if (format != null) {
            switch (format) {
                case "date": return pick(DATES, r);
                case "date-time": return pick(DATETIMES, r);
                case "time": return pick(TIMES, r) + ":00Z";
                case "email", "idn-email": return pick(EMAILS, r);
                case "uri", "url", "iri", "uri-reference", "iri-reference": return pick(URLS, r);
                case "uuid": return String.format(Locale.ROOT, "%08x-%04x-4%03x-a%03x-%012x", r.nextInt() & 0x7fffffff,
                        r.nextInt(0x10000), r.nextInt(0x1000), r.nextInt(0x1000), r.nextLong() & 0xffffffffffffL);
                case "ipv4": return "192.168." + r.nextInt(256) + "." + (1 + r.nextInt(254));
                case "hostname", "idn-hostname": return pick(List.of("example.com", "db.internal.example.org",
                        "api.example.net"), r);
                default: break;
            }
        }
        if (n.contains("email") || d.contains("email address")) {
            return pick(EMAILS, r);
        }
        if (n.contains("url") || n.equals("uri") || n.endsWith("uri")) {
            return pick(URLS, r);
        }
        if (n.contains("timezone") || n.equals("tz")) {
            return pick(TIMEZONES, r);
        }
        if (n.contains("date") && !n.contains("update")) {
            return pick(DATES, r);
        }
        if (n.equals("time") || n.endsWith("time") && !n.contains("timeout")) {
            return pick(TIME_EXPRESSIONS, r);
        }
        if (n.contains("sql")) {
            return pick(SQL, r);
        }
        if (n.contains("table")) {
            return pick(TABLES, r);
        }
        if (n.contains("pattern") || n.contains("glob") || n.contains("exclude")) {
            return pick(GLOBS, r);
        }
        if (n.contains("branch")) {
            return pick(BRANCHES, r);
        }
        if (n.contains("tag")) {
            return pick(TAGS, r);
        }
        if (n.equals("remote")) {
            return pick(REMOTES, r);
        }
        if (n.contains("commit") || n.contains("ref") || n.equals("object") || n.equals("target")
                || n.equals("upstream") || n.equals("onto") || n.equals("startpoint") || n.equals("source")
                && d.contains("commit")) {
            return pick(REFS, r);
        }
        if (n.contains("path") || n.contains("file") || n.contains("dir") || n.equals("source")
                || n.equals("destination") || d.contains("path")) {
            return path(n, r);
        }
        if (n.equals("location") || n.contains("city")) {
            return pick(CITIES, r);
        }
        if (n.contains("entitytype") || n.equals("type") || n.endsWith("type")) {
            return pick(ENTITY_TYPES, r);
        }
        if (n.contains("relation")) {
            return pick(RELATIONS, r);
        }
        if (n.equals("author") || n.contains("person") || n.contains("user") || n.equals("name") && d.contains("author")) {
            return pick(PEOPLE, r);
        }
        if (n.contains("name") || n.equals("from") || n.equals("to")) {
            return n.contains("entit") || d.contains("entity") ? pick(ENTITY_NAMES, r) : pick(ENTITY_NAMES, r);
        }
        if (n.contains("topic") || n.contains("subject")) {
            return pick(TOPICS, r);
        }
        if (n.contains("query") || n.contains("search") || n.contains("grep") || n.contains("keyword")) {
            return pick(QUERIES, r);
        }
        if (n.contains("message") || n.contains("content") || n.contains("text") || n.contains("thought")
                || n.contains("prompt") || n.contains("observation") || n.contains("comment") || n.contains("body")
                || n.contains("description") || n.contains("note")) {
            return sentence(r);
        }
        if (n.contains("id")) {
            return pick(WORDS, r) + "-" + (1 + r.nextInt(999));
        }
        return pick(WORDS, r);
    }

    /**
     * Free text (a message, a note, a comment): a third from the fixed {@link #SENTENCES}, the rest composed of two to
     * six words (with an occasional number), so that a model has to copy the text from the request instead of
     * recalling one of a few sentences it has seen (a from-scratch model echoed "Allergic to peanuts" for "Echo
     * this string exactly: Kiwi-42" when every message came from 16 sentences).
     */
    static String sentence(Random r) {
        if (r.nextInt(3) == 0) {
            return pick(SENTENCES, r);
        }
        int n = 2 + r.nextInt(5);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                b.append(' ');
            }
            int k = r.nextInt(10);
            b.append(k < 4 ? pick(STEMS, r) : k < 8 ? pick(DIR_WORDS, r) : k < 9 ? pick(WORDS, r)
                    : String.valueOf(r.nextInt(k == 9 && r.nextBoolean() ? 100 : 10_000)));
        }
        String t = b.toString();
        return r.nextBoolean() ? Character.toUpperCase(t.charAt(0)) + t.substring(1) : t;
    }

    /** Folder names that paths are composed from (with {@link #ROOTS}, {@link #STEMS} and {@link #EXTENSIONS}). */
    static final List<String> DIR_WORDS = List.of("projects", "reports", "notes", "data", "src", "config", "archive",
            "docs", "assets", "logs", "backups", "images", "drafts", "team", "clients", "invoices", "research", "build",
            "scripts", "tests", "public", "shared", "photos", "music", "exports", "imports", "templates", "lib", "bin",
            "tmp", "old", "inbox", "personal", "work", "finance", "legal", "marketing", "design", "meetings", "q1",
            "q2", "q3", "q4", "2023", "2024", "2025", "2026", "v1", "v2", "alpha", "beta", "website", "mobile", "api",
            "frontend", "backend", "infra", "recipes", "travel", "school", "homework", "taxes", "receipts", "plans");
    static final List<String> ROOTS = List.of("/home/alex", "/home/maria", "/srv", "/var/log", "/data", "/mnt/shared",
            "/opt/service", "/workspace", "/users/sam", "/tmp", "~", ".");
    static final List<String> STEMS = List.of("readme", "report", "notes", "config", "server", "data", "summary",
            "todo", "index", "main", "app", "settings", "budget", "meeting", "changelog", "photo", "schema", "invoice",
            "draft", "letter", "plan", "inventory", "prices", "contacts", "agenda", "minutes", "backup", "results",
            "hello", "utils", "test", "styles", "script", "roadmap", "shopping", "reminder", "journal", "recipe",
            "itinerary", "resume", "license", "output", "input", "errors", "access", "users", "orders", "metrics");
    static final List<String> EXTENSIONS = List.of("md", "txt", "csv", "json", "py", "java", "log", "yaml", "toml",
            "html", "pdf", "png", "sql", "properties", "xml", "js", "ts", "sh", "ini", "xlsx", "docx", "jpg");

    /**
     * A path composed of random parts: relative or absolute, one to three folders, a file name with an optional
     * date, number or version. Composed (not picked from a short list) so that a model cannot learn the values
     * by heart and has to copy them from the request; about a third of the values still come from the fixed
     * {@link #DIRS}/{@link #FILES} lists, which keeps common spellings (README.md) in the data.
     */
    static String path(String name, Random r) {
        boolean dirOnly = name.contains("dir") || name.contains("folder") || name.equals("destination") && r.nextBoolean();
        if (r.nextInt(3) == 0) {
            String dir = pick(DIRS, r);
            return dirOnly ? dir : dir + "/" + pick(FILES, r);
        }
        StringBuilder p = new StringBuilder();
        int style = r.nextInt(4); // 0, 1: relative; 2: absolute root; 3: root "." or "~"
        if (style >= 2) {
            p.append(pick(ROOTS, r));
        }
        int depth = 1 + r.nextInt(3);
        for (int i = 0; i < depth; i++) {
            if (p.length() > 0) {
                p.append('/');
            }
            p.append(pick(DIR_WORDS, r));
        }
        if (dirOnly) {
            return p.toString();
        }
        String stem = pick(STEMS, r);
        stem = switch (r.nextInt(6)) {
            case 0 -> stem + "-" + (2019 + r.nextInt(8));
            case 1 -> stem + "_" + String.format(Locale.ROOT, "%03d", r.nextInt(1000));
            case 2 -> stem + "-v" + (1 + r.nextInt(4));
            case 3 -> stem + "-" + pick(DIR_WORDS, r);
            default -> stem;
        };
        return p + "/" + stem + "." + pick(EXTENSIONS, r);
    }

    /** A free-form record for an object schema without declared properties (e.g. a database row). */
    static List<String[]> record(Random r) {
        List<List<String[]>> rows = List.of(
                List.of(new String[]{"name", "\"" + pick(PEOPLE, r) + "\""}, new String[]{"age", String.valueOf(20 + r.nextInt(50))}),
                List.of(new String[]{"email", "\"" + pick(EMAILS, r) + "\""}, new String[]{"active", "true"}),
                List.<String[]>of(new String[]{"status", "\"" + pick(List.of("shipped", "pending", "paid", "open"), r) + "\""}),
                List.<String[]>of(new String[]{"id", String.valueOf(1 + r.nextInt(500))}),
                List.of(new String[]{"city", "\"" + pick(CITIES, r) + "\""}, new String[]{"score", String.valueOf(r.nextInt(100))}),
                List.of(new String[]{"product", "\"" + pick(WORDS, r) + "\""}, new String[]{"price", String.valueOf(5 + r.nextInt(195))}));
        return pick(rows, r);
    }
}
