package dev.vigil.platform.chaos;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
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

	private final Clock clock;

	private final Map<String, Fault> active = new ConcurrentHashMap<>();

	private final Map<String, AtomicBoolean> burners = new ConcurrentHashMap<>();

	private final Map<String, byte[][]> held = new ConcurrentHashMap<>();

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
		sweeper.scheduleAtFixedRate(this::expire, 1, 1, TimeUnit.SECONDS);
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
			byte[][] blocks = new byte[fault.megabytes()][];
			for (int i = 0; i < blocks.length; i++) {
				blocks[i] = new byte[1024 * 1024];
				blocks[i][i % 1024] = 1; // touch it so the pages are really resident
			}
			held.put(fault.id(), blocks);
		}
	}

	private void stopEffects(String id) {
		AtomicBoolean running = burners.remove(id);
		if (running != null) {
			running.set(false);
		}
		held.remove(id);
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
