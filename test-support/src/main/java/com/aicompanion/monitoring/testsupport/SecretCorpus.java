package com.aicompanion.monitoring.testsupport;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Secrets of many shapes, each in every context it can take, none of which may leave the process on
 * any signal (stdout, shipped documents, Sentry, spans, captured prompts). One corpus for every
 * module's tests, so that the same inputs are asserted on every signal.
 *
 * <pre>{@code
 * for (SecretCorpus.Case c : SecretCorpus.cases()) {
 *   log.info(c.text());
 *   assertThat(SecretCorpus.leaks(output, c)).as(c.toString()).isEmpty();
 * }
 * }</pre>
 *
 * <p>Three families: {@link #tokens()} are secrets recognisable by their own shape (vendor tokens,
 * JWTs, PEM private keys, bearer credentials) and are placed in free text, JSON bodies, URLs,
 * {@code key=value} under an ordinary key, quotes, headers and stack traces; {@link #keyed()} are
 * values without a shape under keys that name a secret in every spelling ({@code SECRET_KEY},
 * {@code db_password_hash}, {@code x-api-key}, {@code clientSecret}, ...) in every pair syntax
 * (unquoted, quoted with blanks, commas, semicolons and escaped quotes, JSON strings, numbers,
 * arrays and objects, query parameters, XML, connection-string lists); {@link #structured()} are
 * whole texts with a secret inside (URL passwords, authorization and cookie headers, cloud SAS and
 * signature parameters, connection strings). {@link #fields()} are fields whose name makes the
 * whole value secret, for every JSON value type. {@link #optIn()} needs {@code maskEmails(true)}
 * and {@link #USER_PATTERN}.
 *
 * <p>A leak is any {@link Case#fragments() fragment} of the secret in the output: its runs of
 * letters and digits (runs over 8 characters as overlapping 8-character windows), so that a partly
 * masked secret ({@code "**** b"}) is caught too, whatever JSON or URL escaping the output adds
 * around them. Values are random but fixed (seeded), so no fragment occurs elsewhere.
 */
public final class SecretCorpus {
  /** The user pattern the {@link #optIn()} cases rely on. */
  public static final String USER_PATTERN = "CUST-\\d{6}";

  /**
   * One text to log or record, and what of it must never appear.
   *
   * @param kind the shape of the secret, e.g. {@code openai project key}
   * @param context where it sits, e.g. {@code json body}
   * @param text what the application logs or records
   * @param secret the secret itself
   * @param key the key that must stay readable, or null
   */
  public record Case(String kind, String context, String text, String secret, String key) {
    /** The pieces of {@link #secret()} that must not appear anywhere in the output. */
    public List<String> fragments() {
      return SecretCorpus.fragments(secret);
    }

    @Override
    public String toString() {
      return kind + " in " + context + ": " + text.replace("\n", "\\n");
    }
  }

  /** A secret by its shape alone. */
  public record Shape(String kind, String text, String secret) {}

  /**
   * A field whose name makes its whole value secret.
   *
   * @param fragments what of the value must not appear (empty for a boolean)
   */
  public record Field(String name, Object value, List<String> fragments) {}

  private static final String ALNUM =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final String UPPER_DIGIT = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  private static final String HEX = "0123456789abcdef";
  private static final String B64URL = ALNUM + "-_";
  private static final String B64 = ALNUM + "+/";
  private static final String DIGITS = "0123456789";

  private SecretCorpus() {}

  /** Every case that the default policy must mask. */
  public static List<Case> cases() {
    List<Case> all = new ArrayList<>();
    for (Shape shape : tokens()) {
      all.addAll(tokenContexts(shape));
    }
    all.addAll(keyed());
    for (Shape shape : structured()) {
      all.addAll(structuredContexts(shape));
    }
    return List.copyOf(all);
  }

  /** Cases that need {@code maskEmails(true)} and {@link #USER_PATTERN}. */
  public static List<Case> optIn() {
    List<Case> all = new ArrayList<>();
    all.addAll(
        tokenContexts(new Shape("email address", "jane.doe.4821@example.com", "jane.doe.4821")));
    all.addAll(tokenContexts(new Shape("user pattern", "CUST-884422", "CUST-884422")));
    return List.copyOf(all);
  }

  /** The distinct shapes: tokens, structured texts, and one per secret key style. */
  public static int shapeCount() {
    return tokens().size() + structured().size() + KEYS.size();
  }

  // ---------------------------------------------------------------------------------------------
  // secrets recognisable by their shape

  /** Vendor tokens, JWTs, PEM private keys, bearer and basic credentials. */
  public static List<Shape> tokens() {
    List<Shape> t = new ArrayList<>();
    token(t, "openai legacy key", "sk-" + random("openai", ALNUM, 48));
    token(t, "openai project key", "sk-proj-" + random("proj", B64URL, 74));
    token(t, "openai service account key", "sk-svcacct-" + random("svc", B64URL, 60));
    token(t, "anthropic key", "sk-ant-api03-" + random("anthropic", B64URL, 93) + "AA");
    token(t, "github classic token", "ghp_" + random("ghp", ALNUM, 36));
    token(t, "github oauth token", "gho_" + random("gho", ALNUM, 36));
    token(
        t,
        "github fine-grained token",
        "github_pat_" + random("ghpat1", ALNUM, 22) + "_" + random("ghpat2", ALNUM, 59));
    token(t, "gitlab personal token", "glpat-" + random("glpat", B64URL, 20));
    token(t, "gitlab deploy token", "gldt-" + random("gldt", B64URL, 20));
    token(
        t,
        "slack bot token",
        "xoxb-"
            + random("xoxb1", DIGITS, 12)
            + "-"
            + random("xoxb2", DIGITS, 13)
            + "-"
            + random("xoxb3", ALNUM, 24));
    token(
        t,
        "slack user token",
        "xoxp-" + random("xoxp1", DIGITS, 12) + "-" + random("xoxp2", ALNUM, 32));
    token(
        t,
        "slack app token",
        "xapp-1-" + random("xapp", UPPER_DIGIT, 11) + "-" + random("xapp2", HEX, 40));
    String slackPath =
        "T"
            + random("slT", UPPER_DIGIT, 8)
            + "/B"
            + random("slB", UPPER_DIGIT, 8)
            + "/"
            + random("slX", ALNUM, 24);
    t.add(
        new Shape("slack webhook url", "https://hooks.slack.com/services/" + slackPath, slackPath));
    String discordPath = random("dcid", DIGITS, 18) + "/" + random("dctok", B64URL, 68);
    t.add(
        new Shape(
            "discord webhook url", "https://discord.com/api/webhooks/" + discordPath, discordPath));
    token(t, "stripe live secret key", "sk_live_" + random("stripe", ALNUM, 24));
    token(t, "stripe restricted key", "rk_live_" + random("rk", ALNUM, 24));
    token(t, "stripe webhook secret", "whsec_" + random("whsec", ALNUM, 32));
    token(t, "aws access key id", "AKIA" + random("akia", UPPER_DIGIT, 16));
    token(t, "aws temporary access key id", "ASIA" + random("asia", UPPER_DIGIT, 16));
    token(t, "google api key", "AIza" + random("aiza", B64URL, 35));
    token(t, "google oauth client secret", "GOCSPX-" + random("gocspx", B64URL, 28));
    token(t, "google oauth access token", "ya29." + random("ya29", B64URL, 100));
    token(
        t,
        "azure ad client secret",
        random("az3", ALNUM, 3) + "8Q~" + random("azq", ALNUM + "_.-~", 34));
    token(t, "sendgrid key", "SG." + random("sg1", B64URL, 22) + "." + random("sg2", B64URL, 43));
    token(t, "twilio api key", "SK" + random("twsk", HEX, 32));
    token(t, "npm token", "npm_" + random("npm", ALNUM, 36));
    token(t, "pypi token", "pypi-AgEIcHlwaS5vcmc" + random("pypi", B64URL, 70));
    token(t, "hugging face token", "hf_" + random("hf", ALNUM, 34));
    token(t, "vault token", "hvs." + random("hvs", B64URL, 90));
    token(t, "digitalocean token", "dop_v1_" + random("dop", HEX, 64));
    token(t, "shopify token", "shpat_" + random("shpat", HEX, 32));
    token(t, "mailgun key", "key-" + random("mailgun", HEX, 32));
    token(t, "groq key", "gsk_" + random("gsk", ALNUM, 52));
    token(t, "xai key", "xai-" + random("xai", ALNUM, 80));
    token(t, "perplexity key", "pplx-" + random("pplx", ALNUM, 48));
    token(t, "replicate token", "r8_" + random("r8", ALNUM, 37));
    token(t, "databricks token", "dapi" + random("dapi", HEX, 32));
    token(
        t,
        "atlassian token",
        "ATATT3xFfGF0" + random("atatt", B64URL, 180) + "=" + random("at8", HEX, 8));
    token(t, "sentry auth token", "sntrys_" + random("sntrys", ALNUM + "+/", 80));
    token(t, "linear key", "lin_api_" + random("linear", ALNUM, 40));
    token(t, "notion token", "secret_" + random("notion", ALNUM, 43));
    token(t, "square secret", "sq0csp-" + random("square", B64URL, 43));
    String jwt =
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                    ("{\"sub\":\"" + random("jwtsub", ALNUM, 12) + "\",\"iat\":1700000000}")
                        .getBytes(StandardCharsets.UTF_8))
            + "."
            + random("jwtsig", B64URL, 43);
    t.add(new Shape("jwt", jwt, jwt.substring(jwt.indexOf('.') + 1)));
    for (String type : List.of("RSA ", "EC ", "OPENSSH ", "ENCRYPTED ", "")) {
      String body =
          random("pem" + type, B64, 64)
              + "\n"
              + random("pem2" + type, B64, 64)
              + "\n"
              + random("pem3" + type, B64, 40)
              + "==";
      t.add(
          new Shape(
              "pem " + (type.isEmpty() ? "pkcs8 " : type.toLowerCase()) + "private key",
              "-----BEGIN "
                  + type
                  + "PRIVATE KEY-----\n"
                  + body
                  + "\n-----END "
                  + type
                  + "PRIVATE KEY-----",
              body));
    }
    String bearer = random("bearer", B64URL + ".", 40);
    t.add(new Shape("bearer credential", "Bearer " + bearer, bearer));
    String basic =
        Base64.getEncoder()
            .encodeToString(
                ("svc-user:" + random("basicpw", ALNUM, 16)).getBytes(StandardCharsets.UTF_8));
    t.add(new Shape("basic credential", "Basic " + basic, basic));
    return List.copyOf(t);
  }

  private static void token(List<Shape> list, String kind, String token) {
    list.add(new Shape(kind, token, token));
  }

  /** A shape-recognisable secret in every context it can take. */
  private static List<Case> tokenContexts(Shape s) {
    String v = s.text();
    List<Case> cases = new ArrayList<>();
    boolean multiline = v.contains("\n");
    cases.add(c(s, "free text", "calling upstream with " + v + " now", null));
    cases.add(c(s, "json body", "{\"note\":\"" + json(v) + "\",\"attempt\":2}", null));
    cases.add(c(s, "ordinary key=value", "upstream=" + quoteIfBlank(v) + " status=401", null));
    cases.add(c(s, "single quotes", "the value '" + v + "' was rejected", null));
    cases.add(
        c(
            s,
            "stack trace",
            "java.lang.IllegalStateException: rejected "
                + v
                + "\n\tat com.example.chat.Upstream.call(Upstream.java:42)",
            null));
    if (!multiline) {
      cases.add(c(s, "ordinary header", "X-Request-Context: " + v, null));
      if (!v.contains(" ")) {
        cases.add(
            c(s, "url query", "GET https://api.example.com/v1/items?q=" + v + "&page=2 200", null));
        cases.add(c(s, "escaped json", "{\\\"note\\\":\\\"" + v + "\\\"}", null));
      }
    }
    return cases;
  }

  // ---------------------------------------------------------------------------------------------
  // values without a shape, under keys that name a secret

  /** Key styles: the secret word anywhere, in every case convention. */
  static final List<String> KEYS =
      List.of(
          "password",
          "SECRET_KEY",
          "db_password_hash",
          "x-api-key",
          "clientSecret",
          "ACCESS_TOKEN",
          "api-key",
          "private_key",
          "refreshToken",
          "AWSSecretAccessKey",
          "client-secret",
          "passwd",
          "pwd",
          "authToken",
          "X-Auth-Token",
          "signing.key",
          "sessionId",
          "app.datasource.credentials");

  /**
   * Values: plain, with blanks, with commas and semicolons, with quotes and backslashes, with @ and
   * :.
   */
  static final Map<String, String> VALUES = values();

  private static Map<String, String> values() {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("plain", random("plain", ALNUM, 14));
    v.put(
        "blanks",
        random("bl1", ALNUM, 5) + " " + random("bl2", ALNUM, 5) + " " + random("bl3", ALNUM, 5));
    v.put(
        "commas and semicolons",
        random("cs1", ALNUM, 5) + "," + random("cs2", ALNUM, 5) + ";" + random("cs3", ALNUM, 5));
    v.put(
        "quote and backslash",
        random("qb1", ALNUM, 5) + "\"" + random("qb2", ALNUM, 5) + "\\" + random("qb3", ALNUM, 5));
    v.put(
        "at and colon",
        random("ac1", ALNUM, 5) + "@" + random("ac2", ALNUM, 5) + ":" + random("ac3", ALNUM, 5));
    return v;
  }

  /** Every key style with every value in every pair syntax that can hold it. */
  public static List<Case> keyed() {
    List<Case> cases = new ArrayList<>();
    for (String key : KEYS) {
      String kind = "key " + key;
      for (Map.Entry<String, String> value : VALUES.entrySet()) {
        String v = value.getValue();
        String what = " (" + value.getKey() + ")";
        boolean bare =
            v.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '@' || ch == ':');
        if (bare) {
          cases.add(
              new Case(
                  kind, "key=value" + what, "login failed " + key + "=" + v + " for bob", v, key));
          cases.add(new Case(kind, "key: value" + what, key + ": " + v, v, key));
          cases.add(
              new Case(
                  kind,
                  "list item" + what,
                  "Server=db;" + key + "=" + v + ";Database=chat",
                  v,
                  key));
        }
        cases.add(
            new Case(
                kind,
                "double quotes" + what,
                "set " + key + "=\"" + escape(v) + "\" done",
                v,
                key));
        cases.add(new Case(kind, "blanks around" + what, key + " = \"" + escape(v) + "\"", v, key));
        if (!v.contains("'")) {
          cases.add(new Case(kind, "single quotes" + what, key + "='" + v + "' next", v, key));
        }
        cases.add(
            new Case(
                kind,
                "json string" + what,
                "body {\"user\":\"bob\",\"" + key + "\":\"" + json(v) + "\",\"n\":1}",
                v,
                key));
        cases.add(
            new Case(
                kind,
                "escaped json string" + what,
                "{\\\"" + key + "\\\":\\\"" + v.replace("\"", "").replace("\\", "") + "\\\"}",
                v.replace("\"", "").replace("\\", ""),
                key));
        cases.add(
            new Case(
                kind,
                "query parameter" + what,
                "POST https://api.example.com/login?user=bob&" + key + "=" + url(v) + "&next=%2F",
                v,
                key));
        cases.add(
            new Case(
                kind,
                "xml element" + what,
                "<auth><" + key + ">" + xml(v) + "</" + key + "></auth>",
                v,
                key));
        if (!v.contains(";") && !v.contains("\"")) {
          cases.add(
              new Case(
                  kind,
                  "connection string list" + what,
                  "Server=tcp:db,1433;" + key + "=" + v + ";Encrypt=True",
                  v,
                  key));
        }
      }
      String number = random("num" + key, DIGITS, 9).replaceFirst("^0", "7");
      cases.add(
          new Case(kind, "json number", "{\"" + key + "\":" + number + ",\"n\":1}", number, key));
      String a = random("arr1" + key, ALNUM, 10);
      String b = random("arr2" + key, ALNUM, 10);
      cases.add(
          new Case(
              kind,
              "json array",
              "{\"" + key + "\":[\"" + a + "\",\"" + b + "\"]}",
              a + " " + b,
              key));
      String inner = random("obj" + key, ALNUM, 12);
      cases.add(
          new Case(
              kind,
              "json object",
              "{\"" + key + "\":{\"value\":\"" + inner + "\"},\"n\":1}",
              inner,
              key));
    }
    return List.copyOf(cases);
  }

  // ---------------------------------------------------------------------------------------------
  // whole texts with a secret inside

  /**
   * URL passwords, authorization and cookie headers, cloud SAS and signature parameters, connection
   * strings.
   */
  public static List<Shape> structured() {
    List<Shape> s = new ArrayList<>();
    String pw = random("urlpw", ALNUM, 16);
    s.add(new Shape("url password", "postgres://app:" + pw + "@db.internal:5432/chat", pw));
    String pw2 = random("urlpw2", ALNUM, 16);
    s.add(
        new Shape(
            "url password, empty user", "https://:" + pw2 + "@git.example.com/repo.git", pw2));
    String at = random("urlat1", ALNUM, 8) + "@" + random("urlat2", ALNUM, 8);
    s.add(
        new Shape("url password with @", "https://deploy:" + at + "@registry.example.com/v2/", at));
    String pct =
        random("pct1", ALNUM, 8)
            + "%40"
            + random("pct2", ALNUM, 8)
            + "%3A"
            + random("pct3", ALNUM, 6);
    s.add(
        new Shape(
            "url password percent-encoded", "amqp://guest:" + pct + "@mq.internal:5672/", pct));
    String mongo = random("mongo", ALNUM, 18);
    s.add(
        new Shape(
            "mongodb+srv password",
            "mongodb+srv://app:" + mongo + "@cluster0.example.net/chat?retryWrites=true",
            mongo));
    String redis = random("redis", ALNUM, 18);
    s.add(new Shape("redis password", "redis://:" + redis + "@cache.internal:6379/0", redis));
    String jdbcUrl = random("jdbcurl", ALNUM, 16);
    s.add(
        new Shape(
            "jdbc url password",
            "jdbc:mysql://app:" + jdbcUrl + "@db.internal:3306/chat",
            jdbcUrl));
    String jdbc = random("jdbc", ALNUM, 16);
    s.add(
        new Shape(
            "jdbc password parameter",
            "jdbc:postgresql://db:5432/chat?user=app&password=" + jdbc + "&ssl=true",
            jdbc));
    String mssql = random("mssql", ALNUM, 16);
    s.add(
        new Shape(
            "jdbc sqlserver password",
            "jdbc:sqlserver://db:1433;databaseName=chat;user=sa;password="
                + mssql
                + ";encrypt=true",
            mssql));
    String ado =
        random("ado1", ALNUM, 6) + " " + random("ado2", ALNUM, 6) + "," + random("ado3", ALNUM, 6);
    s.add(
        new Shape(
            "ado.net Password",
            "Server=tcp:db.example.net,1433;Initial Catalog=chat;User ID=app;Password="
                + ado
                + ";Encrypt=True;",
            ado));
    String accountKey =
        Base64.getEncoder()
            .encodeToString(random("acctkey", ALNUM, 64).getBytes(StandardCharsets.UTF_8));
    s.add(
        new Shape(
            "azure storage connection string",
            "DefaultEndpointsProtocol=https;AccountName=chatstore;AccountKey="
                + accountKey
                + ";EndpointSuffix=core.windows.net",
            accountKey));
    String sbKey =
        Base64.getEncoder()
            .encodeToString(random("sbkey", ALNUM, 32).getBytes(StandardCharsets.UTF_8));
    s.add(
        new Shape(
            "azure service bus connection string",
            "Endpoint=sb://chat.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey="
                + sbKey,
            sbKey));
    String sig =
        url(
            Base64.getEncoder()
                .encodeToString(random("sas", ALNUM, 32).getBytes(StandardCharsets.UTF_8)));
    s.add(
        new Shape(
            "azure sas signature",
            "https://chatstore.blob.core.windows.net/uploads/a.png?sv=2022-11-02&ss=b&srt=o&sp=r&se=2030-01-01T00%3A00%3A00Z&sig="
                + sig,
            sig));
    String amzSig = random("amzsig", HEX, 64);
    String amzToken = random("amztok", B64URL, 120);
    s.add(
        new Shape(
            "aws presigned url signature",
            "https://uploads.s3.amazonaws.com/a.png?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20300101T000000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Security-Token="
                + amzToken
                + "&X-Amz-Signature="
                + amzSig,
            amzToken + " " + amzSig));
    String googSig = random("googsig", HEX, 128);
    s.add(
        new Shape(
            "gcs signed url signature",
            "https://storage.googleapis.com/uploads/a.png?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Date=20300101T000000Z&X-Goog-Expires=900&X-Goog-SignedHeaders=host&X-Goog-Signature="
                + googSig,
            googSig));
    String legacySig =
        url(
            Base64.getEncoder()
                .encodeToString(random("s3sig", ALNUM, 20).getBytes(StandardCharsets.UTF_8)));
    String legacyId = random("s3id", UPPER_DIGIT, 20);
    s.add(
        new Shape(
            "s3 legacy query signature",
            "https://uploads.s3.amazonaws.com/a.png?AWSAccessKeyId="
                + legacyId
                + "&Expires=1900000000&Signature="
                + legacySig,
            legacyId + " " + legacySig));
    String token = random("authtok", HEX, 40);
    s.add(new Shape("authorization token header", "Authorization: Token " + token, token));
    String basic =
        Base64.getEncoder()
            .encodeToString(
                ("app:" + random("hdrbasic", ALNUM, 14)).getBytes(StandardCharsets.UTF_8));
    s.add(new Shape("authorization basic header", "Authorization: Basic " + basic, basic));
    String bearer = random("hdrbearer", B64URL, 48);
    s.add(new Shape("authorization bearer header", "authorization: bearer " + bearer, bearer));
    String digest = random("digest", HEX, 32);
    s.add(
        new Shape(
            "authorization digest header",
            "Authorization: Digest username=\"bob\", realm=\"api\", nonce=\""
                + random("nonce", HEX, 16)
                + "\", uri=\"/chat\", response=\""
                + digest
                + "\"",
            digest));
    String proxy =
        Base64.getEncoder()
            .encodeToString(
                ("proxy:" + random("proxypw", ALNUM, 14)).getBytes(StandardCharsets.UTF_8));
    s.add(new Shape("proxy-authorization header", "Proxy-Authorization: Basic " + proxy, proxy));
    String cookie = random("cookie", B64URL, 32);
    String cookie2 = random("cookie2", ALNUM, 20);
    s.add(
        new Shape(
            "cookie header",
            "Cookie: theme=dark; session=" + cookie + "; csrftoken=" + cookie2,
            cookie + " " + cookie2));
    String setCookie = random("setcookie", B64URL, 32);
    s.add(
        new Shape(
            "set-cookie header",
            "Set-Cookie: sid=" + setCookie + "; Path=/; Secure; HttpOnly",
            setCookie));
    String apiKeyHeader = random("xapikey", ALNUM, 32);
    s.add(new Shape("x-api-key header", "X-Api-Key: " + apiKeyHeader, apiKeyHeader));
    String gitlabHeader = random("privtoken", ALNUM, 24);
    s.add(new Shape("private-token header", "PRIVATE-TOKEN: " + gitlabHeader, gitlabHeader));
    String apim = random("apim", HEX, 32);
    s.add(new Shape("subscription key header", "Ocp-Apim-Subscription-Key: " + apim, apim));
    String awsSecret = random("awssecret", B64, 40);
    s.add(
        new Shape(
            "aws secret access key (ini)",
            "[default]\naws_access_key_id = AKIAEXAMPLEEXAMPLE00\naws_secret_access_key = "
                + awsSecret,
            awsSecret));
    String awsEnv = random("awsenv", B64, 40);
    s.add(new Shape("aws secret access key (env)", "AWS_SECRET_ACCESS_KEY=" + awsEnv, awsEnv));
    String twilio = random("twilio", HEX, 32);
    s.add(new Shape("twilio auth token (env)", "TWILIO_AUTH_TOKEN=" + twilio, twilio));
    String cli = random("cli", ALNUM, 18);
    s.add(new Shape("command-line option", "exec psql --password=" + cli + " --host=db", cli));
    return List.copyOf(s);
  }

  private static List<Case> structuredContexts(Shape s) {
    String v = s.text();
    List<Case> cases = new ArrayList<>();
    cases.add(c(s, "free text", "request failed: " + v, null));
    cases.add(c(s, "own line", "retrying\n" + v + "\nafter 2s", null));
    cases.add(c(s, "json body", "{\"detail\":\"" + json(v) + "\",\"attempt\":2}", null));
    if (!v.contains("\n") && !v.contains("\"")) {
      cases.add(c(s, "curl", "curl -H \"" + v + "\" https://api.example.com", null));
    }
    return cases;
  }

  // ---------------------------------------------------------------------------------------------
  // fields whose name makes the whole value secret

  /** One field per JSON value type (and name style) whose whole value must be masked. */
  public static List<Field> fields() {
    List<Field> f = new ArrayList<>();
    String text = random("fstr", ALNUM, 16);
    f.add(new Field("password", text, fragments(text)));
    String blanks = random("fb1", ALNUM, 6) + " " + random("fb2", ALNUM, 6);
    f.add(new Field("SECRET_KEY", blanks, fragments(blanks)));
    f.add(new Field("db_password_hash", 987654321, List.of("987654321")));
    f.add(new Field("x-api-key", 9876543210123L, List.of("9876543210123")));
    f.add(new Field("clientSecret", 4242.4242, List.of("4242.4242")));
    f.add(new Field("mfa_secret_enabled", true, List.of()));
    String a = random("flist1", ALNUM, 12);
    String b = random("flist2", ALNUM, 12);
    f.add(new Field("token", List.of(a, b), fragments(a + " " + b)));
    String inner = random("fmap", ALNUM, 14);
    f.add(new Field("credentials", Map.of("user", "bob", "value", inner), fragments(inner)));
    byte[] bytes = random("fbin", ALNUM, 24).getBytes(StandardCharsets.UTF_8);
    f.add(
        new Field(
            "api_key",
            bytes,
            fragments(
                new String(bytes, StandardCharsets.UTF_8)
                    + " "
                    + Base64.getEncoder().encodeToString(bytes))));
    int[] numbers = {123456789, 987654321};
    f.add(new Field("sig", numbers, List.of("123456789")));
    return List.copyOf(f);
  }

  // ---------------------------------------------------------------------------------------------

  /** The fragments of {@code c} that occur in {@code output}; empty when nothing leaked. */
  public static List<String> leaks(String output, Case c) {
    return leaks(output, c.fragments());
  }

  /** The {@code fragments} that occur in {@code output}. */
  public static List<String> leaks(String output, List<String> fragments) {
    List<String> found = new ArrayList<>();
    for (String fragment : fragments) {
      if (output.contains(fragment)) {
        found.add(fragment);
      }
    }
    return found;
  }

  /**
   * The runs of letters and digits of {@code secret} that are at least 4 long; runs over 8 as
   * overlapping windows of 8, so that any leaked part of 12 or more characters is found.
   */
  public static List<String> fragments(String secret) {
    List<String> out = new ArrayList<>();
    int n = secret.length();
    int i = 0;
    while (i < n) {
      while (i < n && !Character.isLetterOrDigit(secret.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && Character.isLetterOrDigit(secret.charAt(i))) {
        i++;
      }
      int length = i - start;
      if (length >= 4 && length <= 8) {
        out.add(secret.substring(start, i));
      } else if (length > 8) {
        for (int w = start; w + 8 <= i; w += 4) {
          out.add(secret.substring(w, w + 8));
        }
        out.add(secret.substring(i - 8, i));
      }
    }
    return List.copyOf(out);
  }

  private static Case c(Shape s, String context, String text, String key) {
    return new Case(s.kind(), context, text, s.secret(), key);
  }

  /** {@code length} characters from {@code alphabet}, the same for the same {@code seed}. */
  static String random(String seed, String alphabet, int length) {
    SplittableRandom random = new SplittableRandom(seed.hashCode() * 31L + length);
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
  }

  private static String quoteIfBlank(String v) {
    return v.contains(" ") || v.contains("\n") ? "\"" + json(v) + "\"" : v;
  }

  /** A JSON string's content: quotes, backslashes and control characters escaped. */
  public static String json(String v) {
    StringBuilder out = new StringBuilder(v.length() + 8);
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static String url(String v) {
    return URLEncoder.encode(v, StandardCharsets.UTF_8);
  }

  private static String xml(String v) {
    return v.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;");
  }
}
