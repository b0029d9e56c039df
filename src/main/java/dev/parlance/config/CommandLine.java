package dev.parlance.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line flags. Each takes a value ({@code --port 8080} or {@code --port=8080}) except
 * the switches {@code --cluster}, {@code --print-config} and {@code --help}.
 */
public record CommandLine(Map<String, String> values, boolean printConfig, boolean help, boolean cluster) {

    public static final Map<String, String> FLAGS = flags();

    private static Map<String, String> flags() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("--config", "FILE       configuration file (default conf/parlance.json, else the built-in one)");
        f.put("--host", "HOST         address to listen on");
        f.put("--port", "N            HTTP port");
        f.put("--root-path", "P       root path of the API, e.g. /api/v1 or /v1");
        f.put("--workers", "N         inference workers for every model");
        f.put("--roles", "R           http, inference or http,inference (the default)");
        return f;
    }

    public String value(String flag) {
        return values.get(flag);
    }

    public static CommandLine parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        boolean print = false;
        boolean help = false;
        boolean cluster = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--print-config")) {
                print = true;
                continue;
            }
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
                continue;
            }
            if (arg.equals("--cluster")) {
                cluster = true;
                continue;
            }
            String flag = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                flag = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (!FLAGS.containsKey(flag)) {
                problems.add("unknown argument \"" + arg + "\" (see --help)");
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    problems.add(flag + " needs a value");
                    continue;
                }
                value = args[++i];
            }
            values.put(flag, value);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new CommandLine(Map.copyOf(values), print, help, cluster);
    }

    public static String usage() {
        StringBuilder sb = new StringBuilder("usage: parlance [options]\n");
        FLAGS.forEach((flag, text) -> sb.append("  ").append(flag).append(' ').append(text).append('\n'));
        sb.append("  --cluster          join the cluster of the \"cluster\" configuration\n");
        sb.append("  --print-config     print the merged configuration (secrets masked) and exit\n");
        sb.append("  --help             this text\n");
        return sb.toString();
    }
}
