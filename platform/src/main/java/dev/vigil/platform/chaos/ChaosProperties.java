package dev.vigil.platform.chaos;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param token bearer token of the chaos API (VIGIL_CHAOS_TOKEN); the local-mode default is fine on loopback only
 * @param allowRemote answer the chaos API on non-loopback addresses too (VIGIL_CHAOS_ALLOW_REMOTE)
 */
@ConfigurationProperties("vigil.chaos")
public record ChaosProperties(@DefaultValue("vigil-chaos") String token, @DefaultValue("false") boolean allowRemote) {

}
