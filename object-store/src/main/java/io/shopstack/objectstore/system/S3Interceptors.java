package io.shopstack.objectstore.system;

import io.shopstack.objectstore.auth.RequestAuthentication;
import io.shopstack.objectstore.bucket.SubResourceGuard;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * What runs before every S3 operation, in this order: authentication first, so an unsigned request
 * learns nothing, not even whether a bucket exists.
 */
@Configuration(proxyBeanMethods = false)
class S3Interceptors implements WebMvcConfigurer {

  private final RequestAuthentication authentication;
  private final SubResourceGuard subResources;

  S3Interceptors(RequestAuthentication authentication, SubResourceGuard subResources) {
    this.authentication = authentication;
    this.subResources = subResources;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(authentication);
    registry.addInterceptor(subResources);
  }
}
