package dev.vigil.telemetry.traces;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.Map;

/**
 * A resource as its spans share it: parsed once per distinct serialized form (see {@link MessageCache}), so the
 * thousands of spans a service sends, over any number of batches, point at one instance. Holds what search and the
 * span-derived metrics need: the attributes as strings, the service name and the attributes' {@link TraceDigest}
 * hashes.
 */
public final class StoredResource {

	final Resource resource;

	final Map<String, String> attributes;

	final String service;

	/** {@link TraceDigest#hash} of every attribute pair. */
	final long[] pairHashes;

	private StoredResource(Resource resource) {
		this.resource = resource;
		this.attributes = AttributeValues.toMap(resource.getAttributesList());
		this.service = attributes.getOrDefault("service.name", "unknown_service");
		this.pairHashes = new long[attributes.size()];
		int i = 0;
		for (Map.Entry<String, String> attribute : attributes.entrySet()) {
			pairHashes[i++] = TraceDigest.hash(attribute.getKey(), attribute.getValue());
		}
	}

	static StoredResource parse(byte[] serialized) throws InvalidProtocolBufferException {
		return new StoredResource(Resource.parseFrom(serialized));
	}

	public String service() {
		return service;
	}

}
