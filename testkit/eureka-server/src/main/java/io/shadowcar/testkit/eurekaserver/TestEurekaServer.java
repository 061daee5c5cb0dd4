package io.shadowcar.testkit.eurekaserver;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.netflix.eureka.server.EnableEurekaServer;

/**
 * A stand-alone Eureka server for shadowcar's integration tests: loopback only, no response cache, no
 * self-preservation, does not register with itself (see {@code application.properties}). Start it with
 * {@code java -jar shadowcar-eureka-server.jar --server.port=N}; testkit's {@code EurekaServerExtension} does that.
 * Not for production: it keeps no peers and forgets everything on restart.
 */
@SpringBootApplication
@EnableEurekaServer
public class TestEurekaServer {

  public static void main(String[] args) {
    SpringApplication.run(TestEurekaServer.class, args);
  }
}
