package io.shadowcar.diff;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A protobuf message as the JSON-like tree the field comparison works on: fields set on the message by their proto
 * names (a field left at its proto3 default is absent), repeated fields as arrays, enums by value name, bytes as
 * base64, 64-bit integers as exact numbers, unknown fields under {@code _unknown} as base64. Pure.
 */
final class ProtoTrees {

  private static final JsonNodeFactory NODES = new JsonNodeFactory(true);

  private ProtoTrees() {}

  /** {@code bytes} decoded as {@code type}, or {@code null} when they are not a valid message of it. */
  static JsonNode parse(Descriptor type, byte[] bytes) {
    try {
      return tree(DynamicMessage.parseFrom(type, bytes));
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }

  private static ObjectNode tree(Message message) {
    ObjectNode node = NODES.objectNode();
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      FieldDescriptor descriptor = field.getKey();
      if (descriptor.isRepeated()) {
        ArrayNode array = node.putArray(descriptor.getName());
        for (Object value : (List<?>) field.getValue()) {
          array.add(value(descriptor, value));
        }
      } else {
        node.set(descriptor.getName(), value(descriptor, field.getValue()));
      }
    }
    ByteString unknown = message.getUnknownFields().toByteString();
    if (!unknown.isEmpty()) {
      node.put("_unknown", Base64.getEncoder().encodeToString(unknown.toByteArray()));
    }
    return node;
  }

  private static JsonNode value(FieldDescriptor field, Object value) {
    return switch (field.getJavaType()) {
      case MESSAGE -> tree((Message) value);
      case ENUM -> NODES.textNode(((EnumValueDescriptor) value).getName());
      case BYTE_STRING -> NODES.textNode(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
      case STRING -> NODES.textNode((String) value);
      case BOOLEAN -> NODES.booleanNode((Boolean) value);
      case INT -> isUnsigned(field) ? NODES.numberNode(Integer.toUnsignedLong((Integer) value))
          : NODES.numberNode((Integer) value);
      case LONG -> isUnsigned(field) ? NODES.numberNode(new BigInteger(Long.toUnsignedString((Long) value)))
          : NODES.numberNode((Long) value);
      case FLOAT -> decimal(((Float) value).doubleValue(), Float.toString((Float) value));
      case DOUBLE -> decimal((Double) value, Double.toString((Double) value));
    };
  }

  /** A finite number exactly as Java prints it; NaN and the infinities as text (JSON has no such numbers). */
  private static JsonNode decimal(double value, String text) {
    return Double.isFinite(value) ? NODES.numberNode(new BigDecimal(text)) : NODES.textNode(text);
  }

  private static boolean isUnsigned(FieldDescriptor field) {
    return switch (field.getType()) {
      case UINT32, FIXED32, UINT64, FIXED64 -> true;
      default -> false;
    };
  }
}
