package dev.vigil.platform.chaos;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.ref.SoftReference;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The active faults of this service, with their side effects (CPU burners, held memory) and expiry. Interceptors ask
 * it what to do to each call. `chaos_fault_active{type}` shows what is active, so dashboards and alerts can tell an
 * experiment from a real incident. At most 16 faults at once: bounded like every store.
 */
public final class ChaosFaults implements AutoCloseable {

	static final int MAX_ACTIVE = 16;

	/** A memory fault fills the long-lived heap to at most this share (see {@link #roomInMegabytes}). */
	static final double HEAP_CEILING = 0.95;

	private final Clock clock;

	private final Map<String, Fault> active = new ConcurrentHashMap<>();

	private final Map<String, AtomicBoolean> burners = new ConcurrentHashMap<>();

	/**
	 * Memory faults' blocks, held through soft references: they press on the heap like a leak while there is room,
	 * but the JVM clears every soft reference before it would throw an OutOfMemoryError, so a fault (even one too big
	 * for the heap) cannot kill the service; it then simply holds less, which {@code chaos.memory.held} shows.
	 * The sweeper reads every reference each second: the collector clears soft references that were not used
	 * recently (about one second per free megabyte), so touched ones stay until the heap is really out of room.
	 */
	private final Map<String, List<SoftReference<byte[]>>> held = new ConcurrentHashMap<>();

	private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
		Thread thread = new Thread(runnable, "chaos-expiry");
		thread.setDaemon(true);
		return thread;
	});

	public ChaosFaults(Clock clock, MeterRegistry meters) {
		this.clock = clock;
		for (FaultType type : FaultType.values()) {
			Gauge.builder("chaos.fault.active", () -> count(type))
				.description("Chaos faults of this type active in this process (1 while an experiment runs)")
				.tag("type", type.name().toLowerCase())
				.register(meters);
		}
		Gauge.builder("chaos.memory.held", this::heldBytes)
			.description("Heap held by memory faults now (less than asked for if the JVM had to reclaim it)")
			.baseUnit("bytes")
			.register(meters);
		sweeper.scheduleAtFixedRate(() -> {
			expire();
			heldBytes();
		}, 1, 1, TimeUnit.SECONDS);
	}

	public Fault add(FaultRequest request) {
		Fault fault = request.toFault(clock.instant());
		synchronized (this) {
			if (active.size() >= MAX_ACTIVE) {
				throw new ChaosException("already " + MAX_ACTIVE + " faults active; delete some first");
			}
			active.put(fault.id(), fault);
		}
		startEffects(fault);
		return fault;
	}

	public List<Fault> active() {
		expire();
		return new ArrayList<>(active.values());
	}

	public boolean remove(String id) {
		Fault removed = active.remove(id);
		stopEffects(id);
		return removed != null;
	}

	public int clear() {
		List<String> ids = new ArrayList<>(active.keySet());
		ids.forEach(this::remove);
		return ids.size();
	}

	/** The first active fault of the type that hits this call (each fault rolls its own dice by its rate). */
	public Optional<Fault> strike(FaultType type, String target) {
		for (Fault fault : active.values()) {
			if (fault.type() != type || fault.expired(clock.instant())) {
				continue;
			}
			if (!fault.target().isEmpty() && (target == null || !target.startsWith(fault.target()))) {
				continue;
			}
			boolean always = type == FaultType.LATENCY || type == FaultType.SLOW_DB;
			if (always || ThreadLocalRandom.current().nextDouble() < fault.rate()) {
				return Optional.of(fault);
			}
		}
		return Optional.empty();
	}

	/** Sleeps for the fault's latency (mean ± jitter). */
	static void delay(Fault fault) {
		long jitter = fault.jitterMillis() == 0 ? 0
				: ThreadLocalRandom.current().nextLong(-fault.jitterMillis(), fault.jitterMillis() + 1);
		try {
			Thread.sleep(Math.max(0, fault.latencyMillis() + jitter));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Bytes the memory faults still hold; reading the references also marks them used (see {@link #held}). */
	long heldBytes() {
		long bytes = 0;
		for (List<SoftReference<byte[]>> blocks : held.values()) {
			for (SoftReference<byte[]> block : blocks) {
				byte[] data = block.get();
				bytes += data == null ? 0 : data.length;
			}
		}
		return bytes;
	}

	private int count(FaultType type) {
		return (int) active.values().stream().filter(fault -> fault.type() == type).count();
	}

	private void expire() {
		active.values().stream().filter(fault -> fault.expired(clock.instant())).map(Fault::id).toList().forEach(this::remove);
	}

	private void startEffects(Fault fault) {
		if (fault.type() == FaultType.CPU) {
			AtomicBoolean running = new AtomicBoolean(true);
			burners.put(fault.id(), running);
			for (int i = 0; i < fault.threads(); i++) {
				Thread burner = new Thread(() -> burn(running), "chaos-cpu-" + i);
				burner.setDaemon(true);
				burner.start();
			}
		}
		else if (fault.type() == FaultType.MEMORY) {
			int megabytes = Math.min(fault.megabytes(), roomInMegabytes(HEAP_CEILING));
			List<SoftReference<byte[]>> blocks = new ArrayList<>(megabytes);
			for (int i = 0; i < megabytes; i++) {
				byte[] block = new byte[1024 * 1024];
				block[i % 1024] = 1; // touch it so the pages are really resident
				blocks.add(new SoftReference<>(block));
			}
			held.put(fault.id(), blocks);
		}
	}

	/**
	 * Megabytes that fit below {@code ceiling} of the long-lived heap (the old generation; the whole heap if the
	 * collector has no such pool), measured after a full collection so that what is counted is the live set, not
	 * garbage. A fault asking for more holds this much: the heap ends up nearly full (what a leak looks like just
	 * before the end) whatever the service's own live set is, instead of overflowing — then the JVM would clear every
	 * soft reference at once, and the fault would hold nothing.
	 */
	static int roomInMegabytes(double ceiling) {
		System.gc();
		long used = -1;
		long max = -1;
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			String name = pool.getName();
			if (pool.getType() == MemoryType.HEAP && (name.contains("Old Gen") || name.contains("Tenured Gen")
					|| name.contains("Old Generation")) && pool.getUsage().getMax() > 0) {
				used = pool.getUsage().getUsed();
				max = pool.getUsage().getMax();
			}
		}
		if (max <= 0) {
			Runtime runtime = Runtime.getRuntime();
			used = runtime.totalMemory() - runtime.freeMemory();
			max = runtime.maxMemory();
		}
		return (int) Math.max(0, (long) (ceiling * max - used) / (1024 * 1024));
	}

	private void stopEffects(String id) {
		AtomicBoolean running = burners.remove(id);
		if (running != null) {
			running.set(false);
		}
		if (held.remove(id) != null) {
			// Collect at once, as the restart that ends a real leak would: otherwise the released blocks stay in the
			// old generation, and the live set after GC (what JvmHeapPressure watches) keeps showing them, until the
			// next major collection, which on a quietly loaded service can be minutes away.
			System.gc();
		}
	}

	private static void burn(AtomicBoolean running) {
		long x = 0;
		while (running.get()) {
			x += System.nanoTime() % 7;
		}
		if (x == 42) {
			Thread.onSpinWait(); // keeps the loop from being optimized away
		}
	}

	@Override
	public void close() {
		clear();
		sweeper.shutdownNow();
	}

}
