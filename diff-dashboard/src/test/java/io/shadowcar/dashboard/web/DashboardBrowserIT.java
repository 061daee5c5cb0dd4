package io.shadowcar.dashboard.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.shadowcar.dashboard.Exchanges;
import io.shadowcar.diff.ExchangeSample;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.ElementNotInteractableException;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real browser (Debian's headless Chromium through its chromedriver; Selenium Manager never downloads
 * anything): the endpoint list, the differing endpoint, its field, and the highlighted field in the example. A
 * failure leaves a screenshot under {@code target/screenshots/}.
 */
class DashboardBrowserIT {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final String INSTALL = "apt-get update && apt-get install -y chromium chromium-driver";

  @TempDir
  Path dataDir;
  @TempDir
  Path profile;

  private DashboardServer server;
  private ChromeDriverService service;
  private ChromeDriver driver;
  private WebDriverWait wait;

  @BeforeAll
  static void browserIsInstalled() {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      fail("this test needs " + CHROMIUM + " and " + CHROMEDRIVER + "; install them with: " + INSTALL);
    }
  }

  @BeforeEach
  void start() throws Exception {
    server = new DashboardServer(dataDir);
    service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
        .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--window-size=1400,1000", "--user-data-dir=" + profile);
    driver = new ChromeDriver(service, options);
    wait = new WebDriverWait(driver, Duration.ofSeconds(15));
    // The page re-renders the table and lists as live data arrives: an element read between two renders is stale,
    // and one caught while a render replaces it is briefly not interactable (a key sent then fails), so every read
    // and every click or key goes through the wait, which looks the element up again and retries.
    wait.ignoring(StaleElementReferenceException.class);
    wait.ignoring(ElementNotInteractableException.class);
  }

  @AfterEach
  void stop() throws Exception {
    if (driver != null) {
      driver.quit();
    }
    if (service != null) {
      service.stop();
    }
    server.close();
  }

  @Test
  void opensTheDifferingEndpointAndHighlightsTheChangedFieldInAnExample(TestInfo test) throws Exception {
    server.feedAll();
    screenshotOnFailure(test, () -> {
      driver.get(server.url("/diff"));
      wait.until(d -> d.findElements(By.cssSelector("#endpoints tbody tr")).size() == 5);
      String changedClass = wait.until(d -> row(Exchanges.CHANGED).getAttribute("class"));
      assertTrue(changedClass.contains("flagged"), changedClass);
      assertTrue(wait.until(d -> row(Exchanges.FAILING).getText()).contains("failing"));
      String slower = wait.until(d -> row(Exchanges.SLOWER).getText());
      assertTrue(slower.contains("slower than secondary"), slower);
      List<String> secondary = wait.until(d -> row(Exchanges.SLOWER)
          .findElements(By.cssSelector(".secondary-value.baseline")).stream().map(e -> e.getText().trim()).toList());
      assertEquals(2, secondary.size(), "latency and error cells show the secondary, the baseline");
      assertEquals("(10.0 ms / 10.0 ms)", secondary.get(0));
      assertTrue(wait.until(d -> row(Exchanges.NOISY).getAttribute("class")).contains("noisy"));

      wait.until(d -> {
        row(Exchanges.CHANGED).click();
        return true;
      });
      By bodyName = By.cssSelector("#fields li[data-path='body.name']");
      wait.until(ExpectedConditions.visibilityOfElementLocated(bodyName));
      String fieldClass = wait.until(d -> d.findElement(bodyName).getAttribute("class"));
      assertTrue(fieldClass.contains("real"), fieldClass);
      wait.until(d -> {
        d.findElement(bodyName).sendKeys(Keys.ENTER);
        return true;
      });

      wait.until(d -> d.findElements(By.cssSelector("#samples .sample")).size() == 5);
      By highlightedLines = By.cssSelector("#samples .sample:first-of-type .diff-highlight[data-path='body.name']");
      List<String> highlighted = wait.until(d -> d.findElements(highlightedLines).stream()
          .map(e -> e.getText() + "|" + e.getAttribute("class")).toList());
      assertEquals(2, highlighted.size(), "primary and candidate line of body.name");
      assertTrue(highlighted.get(0).contains("\"Ada\""), highlighted.get(0));
      assertTrue(highlighted.get(1).contains("\"Ada L.\""), highlighted.get(1));
      assertTrue(highlighted.get(1).contains("diff-focus"), highlighted.get(1));
      assertTrue(wait.until(d -> d.findElement(By.cssSelector("#samples .sample .curl pre")).getText())
          .startsWith("curl "));
    });
  }

  @Test
  void showsNewEndpointsLiveAndFocusesTheFilterOnSlash(TestInfo test) throws Exception {
    server.feedAll();
    screenshotOnFailure(test, () -> {
      driver.get(server.url("/diff"));
      wait.until(d -> d.findElements(By.cssSelector("#endpoints tbody tr")).size() == 5);
      wait.until(ExpectedConditions.attributeContains(By.id("live"), "class", "on"));
      ExchangeSample late = new ExchangeSample(Exchanges.get("/late"), Exchanges.json(200, "{\"v\":1}", 1),
          Exchanges.json(200, "{\"v\":2}", 1), null);
      server.recorder.record(late);
      wait.until(d -> d.findElements(By.cssSelector("#endpoints tbody tr[data-endpoint='GET /late']")).size() == 1);

      driver.findElement(By.tagName("body")).sendKeys("/");
      assertEquals("filter", driver.switchTo().activeElement().getAttribute("id"));
      driver.switchTo().activeElement().sendKeys("late");
      wait.until(d -> d.findElements(By.cssSelector("#endpoints tbody tr")).size() == 1);
    });
  }

  private WebElement row(String endpoint) {
    return driver.findElement(By.cssSelector("#endpoints tbody tr[data-endpoint='" + endpoint + "']"));
  }

  private interface Steps {
    void run() throws Exception;
  }

  /** Runs the steps; on failure saves the page as a PNG under target/screenshots/ and rethrows. */
  private void screenshotOnFailure(TestInfo test, Steps steps) throws Exception {
    try {
      steps.run();
    } catch (Exception | AssertionError e) {
      Path dir = Path.of("target", "screenshots");
      Files.createDirectories(dir);
      File shot = driver.getScreenshotAs(OutputType.FILE);
      Path target = dir.resolve(test.getTestMethod().map(m -> m.getName()).orElse("browser") + ".png");
      Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
      e.addSuppressed(new IllegalStateException("screenshot: " + target.toAbsolutePath()));
      throw e;
    }
  }
}
