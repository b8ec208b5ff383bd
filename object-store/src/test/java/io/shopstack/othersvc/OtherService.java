package io.shopstack.othersvc;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Stands for order-service in ServletStackSharingTests: a Spring web service that is not the store.
 * In its own package, so the store's @SpringBootTest classes never find it.
 */
@SpringBootApplication
public class OtherService {}
