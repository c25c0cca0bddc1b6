package dev.millrace.ui;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
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
    return new MBeanInfo(JmxMetrics.class.getName(), "Millrace streaming metrics",
        attrs.toArray(new MBeanAttributeInfo[0]), null, null, null);
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
