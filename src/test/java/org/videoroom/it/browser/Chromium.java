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
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * One headless Debian Chromium with a fake camera and microphone, driven through Debian's chromedriver. It runs
 * with its own temporary HOME, TMPDIR and profile, so it leaves nothing behind, and calls no one: the background
 * networking flags stop it from reaching out, and loopback candidates are allowed so it can talk to the server
 * on 127.0.0.1. {@link #close()} quits the browser and stops the driver.
 */
public final class Chromium implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/lib/chromium/chromium");
    public static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private final Path home;
    private final ChromeDriverService service;
    private final ChromeDriver driver;

    public Chromium(String label) {
        try {
            home = Files.createTempDirectory("videoroom-chromium-" + label + "-");
            for (String dir : List.of("tmp", "profile", "config", "cache", "data")) {
                Files.createDirectories(home.resolve(dir));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .withEnvironment(Map.of(
                        "HOME", home.toString(),
                        "TMPDIR", home.resolve("tmp").toString(),
                        "XDG_CONFIG_HOME", home.resolve("config").toString(),
                        "XDG_CACHE_HOME", home.resolve("cache").toString(),
                        "XDG_DATA_HOME", home.resolve("data").toString()))
                .build();
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
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            service.stop();
            deleteHome();
            throw e;
        }
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Runs an async script: the last argument is the callback. */
    public Object async(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
    }

    public Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            deleteHome();
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
