package dev.parlance.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The process's CPU time and the JIT's compilation time, in seconds. Micrometer's own
 * binders report them in nanoseconds and milliseconds ({@code process_cpu_time_ns_total},
 * {@code jvm_compilation_time_ms_total}), which Prometheus's conventions (and promtool) refuse;
 * a filter cannot rescale a value, so {@link MeterConventions} denies those and this binder
 * registers the same readings in seconds.
 */
final class ProcessTimes implements MeterBinder {

    @Override
    public void bindTo(MeterRegistry registry) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun && sun.getProcessCpuTime() >= 0) {
            // process_cpu_seconds_total, the name Prometheus's own client libraries use.
            FunctionCounter.builder("process.cpu", sun, b -> b.getProcessCpuTime() / 1e9)
                    .baseUnit("seconds")
                    .description("CPU time used by the process, all threads")
                    .register(registry);
        }
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit != null && jit.isCompilationTimeMonitoringSupported()) {
            // jvm_compilation_seconds_total: the binder's own name (same tags) would collide with
            // the denied meter, which Micrometer would take for a second registration.
            FunctionCounter.builder("jvm.compilation", jit, b -> b.getTotalCompilationTime() / 1e3)
                    .baseUnit("seconds")
                    .tags("compiler", jit.getName())
                    .description("approximate time the JIT has spent compiling")
                    .register(registry);
        }
    }
}
