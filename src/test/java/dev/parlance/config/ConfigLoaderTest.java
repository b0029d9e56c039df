package dev.parlance.config;

import dev.parlance.api.Task;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private static JsonObject minimal() {
        return new JsonObject()
                .put("auth", new JsonObject().put("tokens", new JsonArray().add("k")))
                .put("models", new JsonArray().add(new JsonObject()
                        .put("name", "m").put("kind", "embedding").put("source", "classpath:x")));
    }

    private ParlanceConfig load(JsonObject json, Map<String, String> env, String... args) throws Exception {
        Path file = dir.resolve("c.json");
        Files.writeString(file, json.encode());
        String[] all = new String[args.length + 2];
        all[0] = "--config";
        all[1] = file.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return ConfigLoader.load(CommandLine.parse(all), env, 4);
    }

    private List<String> problems(JsonObject json, Map<String, String> env, String... args) {
        return assertThrows(ConfigException.class, () -> load(json, env, args)).problems();
    }

    @Test
    void theShippedConfigRunsAsItIs() {
        ParlanceConfig config = ConfigLoader.load(CommandLine.parse(new String[] {"--config", "conf/parlance.json"}), Map.of(), 2);
        assertEquals("/api/v1", config.http().rootPath());
        assertEquals(8080, config.http().port());
        assertEquals("minilm", Task.CLASSIFICATION.defaultModel(config).orElseThrow().name());
        assertEquals(2, config.models().get(0).workers());
        assertEquals(1, config.models().get(0).intraOpThreads());
    }

    /** Credential files that exist (their content is only read at start): the config checks paths. */
    private Map<String, String> credentialsEnv() throws Exception {
        Map<String, String> env = new java.util.HashMap<>();
        for (String[] v : new String[][] {{"PARLANCE_CLUSTER_TLS_CERT", "tls.crt"}, {"PARLANCE_CLUSTER_TLS_KEY", "tls.key"},
                {"PARLANCE_CLUSTER_TLS_CA", "ca.crt"}}) {
            Path file = dir.resolve(v[1]);
            Files.writeString(file, "placeholder");
            env.put(v[0], file.toString());
        }
        return env;
    }

    @Test
    void theExampleConfigsParse() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(credentialsEnv());
        env.put("PARLANCE_API_TOKENS", "real-secret");
        for (String file : List.of("conf/cluster-gateway.json", "conf/cluster-inference.json", "conf/bart-large-mnli.json")) {
            ParlanceConfig config = ConfigLoader.load(CommandLine.parse(new String[] {"--config", file}), env, 2);
            assertFalse(config.models().isEmpty(), file);
        }
        ParlanceConfig gateway = ConfigLoader.load(CommandLine.parse(new String[] {"--config", "conf/cluster-gateway.json"}), env, 2);
        assertEquals(java.util.Set.of(Role.HTTP), gateway.roles());
        assertTrue(gateway.cluster().enabled());
        assertEquals("", gateway.models().get(0).source(), "a gateway needs no model files");
    }

    @Test
    void aGatewayWithoutAClusterCannotFindModels() {
        JsonObject json = minimal().put("roles", new JsonArray().add("http"));
        assertTrue(String.join("\n", problems(json, Map.of())).contains("roles: without the inference role"));
        assertTrue(String.join("\n", problems(json.copy().put("roles", new JsonArray().add("chef")), Map.of()))
                .contains("roles: must hold"));
    }

    @Test
    void clusterFromFlagsAndEnvironment() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(credentialsEnv());
        env.putAll(Map.of("PARLANCE_CLUSTER_MEMBERS", "127.0.0.2:5701, 127.0.0.3:5701", "PARLANCE_CLUSTER_NAME", "prod"));
        ParlanceConfig config = load(minimal(), env, "--cluster", "--roles", "inference");
        assertTrue(config.cluster().enabled());
        assertEquals(List.of("127.0.0.2:5701", "127.0.0.3:5701"), config.cluster().members());
        assertEquals("prod", config.cluster().name());
        assertEquals(java.util.Set.of(Role.INFERENCE), config.roles());
        assertTrue(String.join("", problems(minimal(), Map.of(), "--cluster")).contains("cluster.members"));
    }

    @Test
    void aClusterMemberWithoutCredentialsDoesNotStartUnlessExplicitlyInsecure() throws Exception {
        JsonObject cluster = new JsonObject().put("enabled", true).put("members", new JsonArray().add("127.0.0.1:5701"));
        List<String> open = problems(minimal().put("cluster", cluster.copy()), Map.of());
        assertTrue(open.stream().anyMatch(p -> p.startsWith("cluster.tls:") && p.contains("\"insecure\": true")), open.toString());

        ParlanceConfig insecure = load(minimal().put("cluster", cluster.copy().put("insecure", true)), Map.of());
        assertTrue(insecure.cluster().insecure());
        assertFalse(insecure.cluster().tls().configured());

        Map<String, String> env = credentialsEnv();
        ParlanceConfig secure = load(minimal().put("cluster", cluster.copy()), env);
        assertFalse(secure.cluster().insecure());
        assertEquals(new ClusterTlsConfig(env.get("PARLANCE_CLUSTER_TLS_CERT"), env.get("PARLANCE_CLUSTER_TLS_KEY"),
                env.get("PARLANCE_CLUSTER_TLS_CA"), null), secure.cluster().tls());

        List<String> both = problems(minimal().put("cluster", cluster.copy().put("insecure", true)), env);
        assertTrue(both.stream().anyMatch(p -> p.startsWith("cluster.insecure:")), both.toString());
        List<String> noKey = problems(minimal().put("cluster", cluster.copy().put("tls", new JsonObject()
                .put("cert", env.get("PARLANCE_CLUSTER_TLS_CERT")).put("ca", env.get("PARLANCE_CLUSTER_TLS_CA")))), Map.of());
        assertTrue(noKey.stream().anyMatch(p -> p.startsWith("cluster.tls.key:")), noKey.toString());
        List<String> missing = problems(minimal().put("cluster", cluster.copy().put("tls", new JsonObject()
                .put("cert", dir.resolve("member.p12").toString()))), Map.of());
        assertTrue(missing.stream().anyMatch(p -> p.startsWith("cluster.tls.cert: cannot read")), missing.toString());
        assertTrue(missing.stream().anyMatch(p -> p.startsWith("cluster.tls.ca:")), missing.toString());
        // Without a cluster, nothing is asked.
        assertFalse(load(minimal(), Map.of()).cluster().enabled());
    }

    @Test
    void theClusterPasswordIsMaskedAndAMaskedOneRefused() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(credentialsEnv());
        Path p12 = dir.resolve("member.p12");
        Files.writeString(p12, "placeholder");
        env.put("PARLANCE_CLUSTER_TLS_CERT", p12.toString());
        env.remove("PARLANCE_CLUSTER_TLS_KEY");
        env.put("PARLANCE_CLUSTER_TLS_PASSWORD", "p12-secret");
        JsonObject json = minimal().put("cluster", new JsonObject().put("enabled", true).put("members", new JsonArray().add("127.0.0.1:5701")));
        ParlanceConfig config = load(json, env);
        assertEquals("p12-secret", config.cluster().tls().password());
        JsonObject printed = ConfigPrinter.toJson(config);
        assertFalse(printed.encode().contains("p12-secret"));
        assertFalse(config.toString().contains("p12-secret"));
        List<String> fedBack = problems(printed, Map.of());
        assertTrue(fedBack.stream().anyMatch(p -> p.startsWith("cluster.tls.password:") && p.contains("looks masked")), fedBack.toString());
    }

    @Test
    void kubernetesSettingsFromTheEnvironment() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(credentialsEnv());
        env.putAll(Map.of("PARLANCE_CLUSTER_ENABLED", "true",
                "PARLANCE_CLUSTER_DNS", "parlance-cluster", "PARLANCE_CLUSTER_HOST", "0.0.0.0",
                "PARLANCE_CLUSTER_PUBLIC_HOST", "127.0.0.7", "PARLANCE_CLUSTER_PORT", "5801",
                "PARLANCE_CLUSTER_EVENT_BUS_PORT", "5802", "PARLANCE_PORT", "8088"));
        ParlanceConfig config = load(minimal(), env);
        assertTrue(config.cluster().enabled());
        assertEquals(List.of(), config.cluster().members(), "a DNS name is enough to find members");
        assertEquals("parlance-cluster", config.cluster().dns());
        assertEquals("0.0.0.0", config.cluster().host());
        assertEquals("127.0.0.7", config.cluster().publicHost());
        assertEquals(5801, config.cluster().port());
        assertEquals(5802, config.cluster().eventBusPort());
        assertEquals(8088, config.http().port());
        assertEquals("127.0.0.2", load(minimal(), Map.of("PARLANCE_CLUSTER_HOST", "127.0.0.2")).cluster().publicHost(),
                "advertised where bound, unless told otherwise");
        String wildcard = String.join("\n", problems(minimal(), Map.of("PARLANCE_CLUSTER_HOST", "0.0.0.0",
                "PARLANCE_CLUSTER_DNS", "parlance-cluster"), "--cluster"));
        assertTrue(wildcard.contains("cluster.publicHost"), wildcard);
        assertTrue(String.join("", problems(minimal(), Map.of("PARLANCE_CLUSTER_EVENT_BUS_PORT", "x")))
                .contains("PARLANCE_CLUSTER_EVENT_BUS_PORT"));
    }

    @Test
    void defaultsFollowTheCoreCount() throws Exception {
        ParlanceConfig config = load(minimal(), Map.of());
        assertEquals(4, config.models().get(0).workers());
        assertEquals(4, config.http().instances());
        JsonObject twoThreads = minimal();
        twoThreads.getJsonArray("models").getJsonObject(0).put("intraOpThreads", 2);
        ParlanceConfig c2 = load(twoThreads, Map.of());
        assertEquals(2, c2.models().get(0).workers(), "workers x intra-op threads = cores");
    }

    @Test
    void layersOverrideInOrderFileThenEnvironmentThenFlags() throws Exception {
        JsonObject json = minimal().put("http", new JsonObject().put("port", 1000).put("rootPath", "/file"));
        Map<String, String> env = Map.of("PARLANCE_PORT", "2000", "PARLANCE_ROOT_PATH", "/env",
                "PARLANCE_API_TOKENS", "a, b ,c", "PARLANCE_WORKERS", "3");
        ParlanceConfig fromEnv = load(json, env);
        assertEquals(2000, fromEnv.http().port());
        assertEquals("/env", fromEnv.http().rootPath());
        assertEquals(List.of("a", "b", "c"), fromEnv.auth().tokens());
        assertEquals(3, fromEnv.models().get(0).workers());
        ParlanceConfig fromFlags = load(json, env, "--port", "3000", "--root-path=/flag/", "--workers", "1");
        assertEquals(3000, fromFlags.http().port());
        assertEquals("/flag", fromFlags.http().rootPath());
        assertEquals(1, fromFlags.models().get(0).workers());
    }

    @Test
    void everyBadFieldIsReportedAtOnce() {
        JsonObject json = new JsonObject()
                .put("http", new JsonObject().put("port", 70000).put("rootPath", "/a b"))
                .put("auth", new JsonObject().put("tokens", new JsonArray()))
                .put("limits", new JsonObject().put("maxLabels", "many"))
                .put("models", new JsonArray()
                        .add(new JsonObject().put("name", "m").put("kind", "translator").put("source", "x").put("workers", -1))
                        .add(new JsonObject().put("name", "m").put("kind", "nli").put("sharing", "sometimes")
                                .put("hypothesisTemplate", "no placeholder")));
        List<String> problems = problems(json, Map.of());
        String all = String.join("\n", problems);
        for (String field : List.of("http.port", "http.rootPath", "auth.tokens", "limits.maxLabels", "models[0].kind",
                "models[0].workers", "models[1].source", "models[1].sharing", "models[1].hypothesisTemplate",
                "\"m\" is used twice")) {
            assertTrue(all.contains(field), field + " missing from:\n" + all);
        }
    }

    @Test
    void aliasesAndLanguagesNameModels() throws Exception {
        JsonObject json = minimal();
        json.getJsonArray("models").getJsonObject(0).put("aliases", new JsonArray().add("all-MiniLM-L6-v2"))
                .put("languages", new JsonArray().add("fra_Latn"));
        json.getJsonArray("models").add(new JsonObject().put("name", "n").put("kind", "nli").put("source", "classpath:y"));
        ParlanceConfig config = load(json, Map.of());
        assertEquals("m", config.model("all-MiniLM-L6-v2").orElseThrow().name());
        assertEquals(List.of("fra_Latn"), config.model("m").orElseThrow().languages());
        assertEquals(List.of("en", "eng_Latn"), config.model("n").orElseThrow().languages());
        assertTrue(config.model("n").orElseThrow().aliases().isEmpty());

        JsonObject clash = minimal();
        clash.getJsonArray("models").getJsonObject(0).put("aliases", new JsonArray().add("n").add("a b"))
                .put("languages", new JsonArray());
        clash.getJsonArray("models").add(new JsonObject().put("name", "n").put("kind", "nli").put("source", "classpath:y")
                .put("aliases", new JsonArray().add("m")));
        String all = String.join("\n", problems(clash, Map.of()));
        for (String problem : List.of("the alias \"n\" of \"m\"", "the alias \"m\" of \"n\"",
                "models[0].aliases: may hold only", "models[0].languages: must name at least one")) {
            assertTrue(all.contains(problem), problem + " missing from:\n" + all);
        }
    }

    @Test
    void noTokensMeansNoStartUnlessAuthIsExplicitlyOff() throws Exception {
        JsonObject open = minimal().put("auth", new JsonObject());
        assertTrue(problems(open, Map.of()).get(0).startsWith("auth.tokens: no API token configured"));
        ParlanceConfig disabled = load(open.put("auth", new JsonObject().put("enabled", false)), Map.of());
        assertFalse(disabled.auth().enabled());
    }

    @Test
    void theDevelopmentTokenOnlyWorksOnLoopback() throws Exception {
        JsonObject json = minimal().put("auth", new JsonObject().put("tokens", new JsonArray().add(AuthConfig.DEVELOPMENT_TOKEN)));
        load(json, Map.of(), "--host", "127.0.0.1");
        load(json, Map.of(), "--host", "::1");
        assertTrue(problems(json, Map.of(), "--host", "0.0.0.0").get(0).contains("development token"));
        load(json, Map.of("PARLANCE_API_TOKENS", "real-secret"), "--host", "0.0.0.0");
    }

    @Test
    void badFlagsAreNamed() {
        assertTrue(assertThrows(ConfigException.class, () -> CommandLine.parse(new String[] {"--prot", "1"}))
                .getMessage().contains("--prot"));
        assertTrue(assertThrows(ConfigException.class, () -> CommandLine.parse(new String[] {"--port"}))
                .getMessage().contains("--port needs a value"));
        assertTrue(String.join("", problems(minimal(), Map.of(), "--port", "http")).contains("--port"));
        assertTrue(String.join("", problems(minimal(), Map.of(), "--workers", "0")).contains("workers"));
    }

    @Test
    void printConfigShowsTheMergedResultWithSecretsMasked() throws Exception {
        ParlanceConfig config = load(minimal(), Map.of("PARLANCE_API_TOKENS", "super-secret,other"), "--port", "4321");
        JsonObject printed = ConfigPrinter.toJson(config);
        assertFalse(printed.encode().contains("super-secret"));
        assertEquals(new JsonArray().add("****").add("****"), printed.getJsonObject("auth").getJsonArray("tokens"));
        assertEquals(4321, printed.getJsonObject("http").getInteger("port"));
        assertEquals("embedding", printed.getJsonArray("models").getJsonObject(0).getString("kind"));
        assertEquals(0.25, printed.getJsonArray("models").getJsonObject(0).getJsonObject("batching").getDouble("lengthSpread"));
        // What it prints is a configuration file again: with the tokens put back, the same configuration.
        printed.getJsonObject("auth").put("tokens", new JsonArray().add("super-secret").add("other"));
        assertEquals(config, ParlanceConfig.parse(printed, 4, null));
    }

    @Test
    void aMaskedTokenIsNeverAccepted() throws Exception {
        JsonObject printed = ConfigPrinter.toJson(load(minimal(), Map.of()));
        List<String> fedBack = problems(printed, Map.of());
        assertTrue(fedBack.stream().anyMatch(p -> p.startsWith("auth.tokens:") && p.contains("looks masked")), fedBack.toString());
        List<String> fromEnv = problems(minimal(), Map.of("PARLANCE_API_TOKENS", "real-secret, ***"));
        assertTrue(fromEnv.stream().anyMatch(p -> p.startsWith("auth.tokens:") && p.contains("looks masked")), fromEnv.toString());
        assertEquals(List.of("a*b"), load(minimal(), Map.of("PARLANCE_API_TOKENS", "a*b")).auth().tokens());
    }

    @Test
    void aFileThatIsNotJsonIsNamedButNotQuoted() throws Exception {
        Path file = dir.resolve("shadow");
        Files.writeString(file, "root:$6$s3cr3tHash$xyz:19000:0:99999:7:::\n");
        String message = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(CommandLine.parse(new String[] {"--config", file.toString()}), Map.of(), 4)).getMessage();
        assertTrue(message.contains(file.toString()), message);
        assertTrue(message.contains("line 1, column"), message);
        assertFalse(message.contains("s3cr3t") || message.contains("$6$"), message);
        Files.writeString(file, "\"s3cr3t\"");
        String notAnObject = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(CommandLine.parse(new String[] {"--config", file.toString()}), Map.of(), 4)).getMessage();
        assertFalse(notAnObject.contains("s3cr3t"), notAnObject);
    }

    @Test
    void secretsStayOutOfToString() throws Exception {
        ParlanceConfig config = load(minimal(), Map.of("PARLANCE_API_TOKENS", "super-secret"));
        assertFalse(config.toString().contains("super-secret"));
    }
}
