package dev.vigil.orders.system;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Drives the outbox relay. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class Scheduling {

}
