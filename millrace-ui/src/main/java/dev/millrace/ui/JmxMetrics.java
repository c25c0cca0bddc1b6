package dev.millrace.ui;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Registers the streaming gauges as one read-only MBean, {@code
 * dev.millrace:type=StreamingMetrics,name=<app name>}, whose attributes carry Spark's gauge
 * names ({@code totalCompletedBatches}, {@code lastCompletedBatch_totalDelay}, ...). Closing it
 * unregisters the MBean. Thread-safe.
 */
final class JmxMetrics implements DynamicMBean, AutoCloseable {
  private final StreamingMetrics metrics;
  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
  private final ObjectName name;

  JmxMetrics(StreamingMetrics metrics, String appName) throws JMException {
    this.metrics = metrics;
    ObjectName base = new ObjectName("dev.millrace:type=StreamingMetrics,name=" + ObjectName.quote(appName));
    ObjectName chosen = base;
    for (int i = 2; ; i++) {
      try {
        server.registerMBean(this, chosen);
        break;
      } catch (InstanceAlreadyExistsException e) {
        // another context of this JVM (a previous test, say) still holds the name
        chosen = new ObjectName("dev.millrace:type=StreamingMetrics,name=" + ObjectName.quote(appName + "-" + i));
      }
    }
    this.name = chosen;
  }

  ObjectName objectName() {
    return name;
  }

  @Override
  public Object getAttribute(String attribute) throws AttributeNotFoundException {
    for (StreamingMetrics.Gauge g : metrics.gauges()) {
      if (g.name().equals(attribute)) {
        return metrics.value(g);
      }
    }
    Long live = liveValues().get(attribute);
    if (live != null) {
      return live;
    }
    throw new AttributeNotFoundException("No streaming metric named " + attribute);
  }

  @Override
  public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
    throw new AttributeNotFoundException("Streaming metrics are read-only: " + attribute.getName());
  }

  @Override
  public AttributeList getAttributes(String[] attributes) {
    AttributeList list = new AttributeList();
    for (String a : attributes) {
      try {
        list.add(new Attribute(a, getAttribute(a)));
      } catch (AttributeNotFoundException e) {
        // JMX leaves unknown attributes out of the list
      }
    }
    return list;
  }

  @Override
  public AttributeList setAttributes(AttributeList attributes) {
    return new AttributeList();
  }

  @Override
  public Object invoke(String actionName, Object[] params, String[] signature) {
    throw new UnsupportedOperationException("Streaming metrics have no operations");
  }

  @Override
  public MBeanInfo getMBeanInfo() {
    List<MBeanAttributeInfo> attrs = new ArrayList<>();
    for (StreamingMetrics.Gauge g : metrics.gauges()) {
      attrs.add(new MBeanAttributeInfo(g.name(), "long", g.help(), true, false, false));
    }
    for (String live : liveValues().keySet()) {
      attrs.add(new MBeanAttributeInfo(live, "long", live.startsWith("stream_")
          ? "Records the input stream accepted that are not yet in a batch."
          : "Keys held by the operator's newest complete state.", true, false, false));
    }
    return new MBeanInfo(JmxMetrics.class.getName(), "Millrace streaming metrics",
        attrs.toArray(new MBeanAttributeInfo[0]), null, null, null);
  }

  /**
   * Attributes that come and go with the graph: {@code stream_<id>_lag} per input stream that
   * reports a lag, {@code operator_<operator id>_stateSize} per stateful operator.
   */
  private Map<String, Long> liveValues() {
    Map<String, Long> out = new java.util.LinkedHashMap<>();
    metrics.live().lags().forEach((id, lag) -> out.put("stream_" + id + "_lag", lag));
    for (StreamingMetrics.OperatorState o : metrics.live().operatorStates()) {
      out.put("operator_" + o.id() + "_stateSize", o.keys());
    }
    return out;
  }

  @Override
  public void close() {
    try {
      server.unregisterMBean(name);
    } catch (JMException e) {
      // already gone
    }
  }
}
