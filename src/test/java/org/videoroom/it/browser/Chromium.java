package org.videoroom.it.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.HasCdp;
import org.openqa.selenium.remote.Augmenter;
import org.openqa.selenium.remote.RemoteWebDriver;
import java.net.URI;
import java.net.URL;

/**
 * One headless Debian Chromium with a fake camera and microphone, driven through Debian's chromedriver. It runs
 * with its own temporary HOME, TMPDIR and profile, so it leaves nothing behind, and calls no one: the background
 * networking flags stop it from reaching out, and loopback candidates are allowed so it can talk to the server
 * on 127.0.0.1. {@link #close()} quits the browser and stops the driver.
 */
public final class Chromium implements Browser {

    public static final Path BINARY = Path.of("/usr/lib/chromium/chromium");
    public static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    /**
     * The default window: two remote tiles of 496x372 (one column beside the participant list), so they get
     * the 480-line layer. Every extra pixel is software compositing on the same two cores as the server.
     */
    public static final String DEFAULT_WINDOW = "800,600";
    /** Room for a grid of four or five remote tiles, all on screen. */
    public static final String WIDE_WINDOW = "1280,720";

    private final String label;
    private final Path home;
    private final ChromeDriverService service;
    /** The chromedriver started in another network namespace, or null. */
    private final Process remoteDriver;
    private final RemoteWebDriver driver;
    private boolean closed;

    public Chromium(String label) {
        this(label, null, null, List.of());
    }

    /** A Chromium with more switches (e.g. an insecure origin to treat as secure). */
    public static Chromium withArguments(String label, List<String> extraArguments) {
        return new Chromium(label, null, null, extraArguments);
    }

    /**
     * A Chromium in another network namespace (see scripts/netns-java.sh): its chromedriver runs there too, and
     * the test reaches it over the veth pair at {@code driverAddress}, from {@code allowedClient} only.
     *
     * @param extraArguments more Chromium switches (e.g. the insecure origin to treat as secure)
     */
    public static Chromium inNamespace(String label, String namespace, String driverAddress, String allowedClient,
                                       List<String> extraArguments) {
        return new Chromium(label, namespace, new String[] {driverAddress, allowedClient}, extraArguments);
    }

    private Chromium(String label, String namespace, String[] addresses, List<String> extraArguments) {
        this.label = label;
        try {
            home = Files.createTempDirectory("videoroom-chromium-" + label + "-");
            for (String dir : List.of("tmp", "profile", "config", "cache", "data")) {
                Files.createDirectories(home.resolve(dir));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> environment = Map.of(
                "HOME", home.toString(),
                "TMPDIR", home.resolve("tmp").toString(),
                "XDG_CONFIG_HOME", home.resolve("config").toString(),
                "XDG_CACHE_HOME", home.resolve("cache").toString(),
                "XDG_DATA_HOME", home.resolve("data").toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--use-fake-device-for-media-stream=fps=30",
                "--use-fake-ui-for-media-stream",
                "--allow-loopback-in-peer-connection",
                "--disable-features=WebRtcHideLocalIpsWithMdns",
                "--autoplay-policy=no-user-gesture-required",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--mute-audio",
                "--user-data-dir=" + home.resolve("profile"));
        // The window decides how large the tiles are, and the server sends no tile more than its size needs.
        if (extraArguments.stream().noneMatch(a -> a.startsWith("--window-size="))) {
            options.addArguments("--window-size=" + DEFAULT_WINDOW);
        }
        options.addArguments(extraArguments);
        if (namespace == null) {
            remoteDriver = null;
            service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(DRIVER.toFile())
                    .usingAnyFreePort()
                    .withEnvironment(environment)
                    .build();
            try {
                driver = new ChromeDriver(service, options);
            } catch (RuntimeException e) {
                service.stop();
                deleteHome();
                throw e;
            }
        } else {
            service = null;
            int port = freePort();
            ProcessBuilder builder = new ProcessBuilder("ip", "netns", "exec", namespace, DRIVER.toString(),
                    "--port=" + port, "--allowed-ips=" + addresses[1], "--allowed-origins=*")
                    .redirectErrorStream(true)
                    .redirectOutput(home.resolve("chromedriver.log").toFile());
            builder.environment().putAll(environment);
            try {
                remoteDriver = builder.start();
                URL url = URI.create("http://" + addresses[0] + ":" + port + "/").toURL();
                awaitDriver(url);
                driver = (RemoteWebDriver) new Augmenter().augment(new RemoteWebDriver(url, options));
            } catch (IOException | RuntimeException e) {
                stopRemoteDriver();
                deleteHome();
                throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
            }
        }
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    }

    public RemoteWebDriver driver() {
        return driver;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public void open(URI url) {
        driver.get(url.toString());
    }

    @Override
    public void addInitScript(String source) {
        cdp("Page.addScriptToEvaluateOnNewDocument", Map.of("source", source));
    }

    /** Resizes the page's viewport, as a person resizing the window would. */
    public void viewport(int width, int height) {
        cdp("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height, "deviceScaleFactor", 1,
                "mobile", false));
    }

    @Override
    public void type(String cssSelector, String text) {
        driver.findElement(By.cssSelector(cssSelector)).sendKeys(text);
    }

    @Override
    public void click(String cssSelector) {
        driver.findElement(By.cssSelector(cssSelector)).click();
    }

    @Override
    public String text(String cssSelector) {
        return driver.findElement(By.cssSelector(cssSelector)).getText();
    }

    @Override
    public byte[] screenshot() {
        return driver.getScreenshotAs(org.openqa.selenium.OutputType.BYTES);
    }

    /** Runs a DevTools protocol command in this browser. */
    public void cdp(String command, Map<String, Object> parameters) {
        ((HasCdp) driver).executeCdpCommand(command, parameters);
    }

    @Override
    public Object async(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
    }

    @Override
    public Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            driver.quit();
        } finally {
            if (service != null) {
                service.stop();
            }
            stopRemoteDriver();
            deleteHome();
        }
    }

    private void stopRemoteDriver() {
        if (remoteDriver == null) {
            return;
        }
        // ip netns exec execs chromedriver, so this PID is chromedriver's own.
        remoteDriver.destroy();
        try {
            if (!remoteDriver.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                remoteDriver.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitDriver(URL url) throws IOException {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                java.net.http.HttpResponse<String> response = client.send(
                        java.net.http.HttpRequest.newBuilder(URI.create(url + "status")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("chromedriver did not come up at " + url);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }

    private void deleteHome() {
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Best effort: a leftover temp dir is harmless.
        }
    }
}
