package io.shopstack.objectstore.system;

import java.util.Arrays;
import java.util.Set;
import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Keeps this module's Jetty to itself. In the local topology every Spring service shares one class
 * path; Spring Boot orders its Jetty auto-configuration before Tomcat's (by name), so order-service
 * would silently move to Jetty and lose its Tomcat settings. Jetty's servlet auto-configuration is
 * therefore skipped in every application context that is not the object store's (recognised by
 * {@code object-store.instance}) whenever Tomcat is on the class path.
 */
public class JettyOnlyHere implements AutoConfigurationImportFilter, EnvironmentAware {

  private static final Set<String> JETTY =
      Set.of(
          "org.springframework.boot.jetty.autoconfigure.servlet.JettyServletWebServerAutoConfiguration",
          "org.springframework.boot.jetty.autoconfigure.actuate.web.server"
              + ".JettyServletManagementContextAutoConfiguration");
  private static final Set<String> TOMCAT =
      Set.of(
          "org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration",
          "org.springframework.boot.tomcat.autoconfigure.actuate.web.server"
              + ".TomcatServletManagementContextAutoConfiguration");
  private static final String TOMCAT_CLASS = "org.apache.catalina.startup.Tomcat";

  private Environment environment;

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public boolean[] match(String[] candidates, AutoConfigurationMetadata metadata) {
    boolean[] matches = new boolean[candidates.length];
    Arrays.fill(matches, true);
    if (environment == null || !tomcatPresent()) {
      return matches;
    }
    Set<String> skipped = environment.containsProperty("object-store.instance") ? TOMCAT : JETTY;
    for (int i = 0; i < candidates.length; i++) {
      matches[i] = candidates[i] == null || !skipped.contains(candidates[i]);
    }
    return matches;
  }

  private static boolean tomcatPresent() {
    try {
      Class.forName(TOMCAT_CLASS, false, JettyOnlyHere.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
