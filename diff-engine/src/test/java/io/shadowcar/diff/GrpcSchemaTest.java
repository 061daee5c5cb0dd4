package io.shadowcar.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * gRPC responses compared field by field with a descriptor set. The set is built here with protobuf's own descriptor
 * messages (what {@code protoc --descriptor_set_out} writes), for two files, one importing the other:
 *
 * <pre>
 *   // money.proto
 *   package shop; message Money { int64 cents = 1; string currency = 2; }
 *   // catalog.proto, imports money.proto
 *   package shop;
 *   message Item { string name = 1; shop.Money price = 2; repeated string tags = 3; }
 *   message ListReply { enum State { COMPLETE = 0; PARTIAL = 1; } repeated Item items = 1; State state = 2; }
 *   message Query { string text = 1; }
 *   service Catalog { rpc List(Query) returns (ListReply); }
 * </pre>
 */
class GrpcSchemaTest {

  private static final FileDescriptorProto MONEY = FileDescriptorProto.newBuilder()
      .setName("money.proto").setPackage("shop").setSyntax("proto3")
      .addMessageType(DescriptorProto.newBuilder().setName("Money")
          .addField(field("cents", 1, Type.TYPE_INT64, null, false))
          .addField(field("currency", 2, Type.TYPE_STRING, null, false)))
      .build();
  private static final FileDescriptorProto CATALOG = FileDescriptorProto.newBuilder()
      .setName("catalog.proto").setPackage("shop").setSyntax("proto3").addDependency("money.proto")
      .addMessageType(DescriptorProto.newBuilder().setName("Item")
          .addField(field("name", 1, Type.TYPE_STRING, null, false))
          .addField(field("price", 2, Type.TYPE_MESSAGE, ".shop.Money", false))
          .addField(field("tags", 3, Type.TYPE_STRING, null, true)))
      .addMessageType(DescriptorProto.newBuilder().setName("ListReply")
          .addEnumType(EnumDescriptorProto.newBuilder().setName("State")
              .addValue(EnumValueDescriptorProto.newBuilder().setName("COMPLETE").setNumber(0))
              .addValue(EnumValueDescriptorProto.newBuilder().setName("PARTIAL").setNumber(1)))
          .addField(field("items", 1, Type.TYPE_MESSAGE, ".shop.Item", true))
          .addField(field("state", 2, Type.TYPE_ENUM, ".shop.ListReply.State", false)))
      .addMessageType(DescriptorProto.newBuilder().setName("Query")
          .addField(field("text", 1, Type.TYPE_STRING, null, false)))
      .addService(ServiceDescriptorProto.newBuilder().setName("Catalog")
          .addMethod(MethodDescriptorProto.newBuilder().setName("List")
              .setInputType(".shop.Query").setOutputType(".shop.ListReply")))
      .build();
  private static final byte[] SET = FileDescriptorSet.newBuilder().addFile(CATALOG).addFile(MONEY).build()
      .toByteArray();
  private static final String LIST = "/shop.Catalog/List";

  private final Descriptor reply;
  private final Descriptor item;
  private final Descriptor money;

  GrpcSchemaTest() throws Exception {
    FileDescriptor moneyFile = FileDescriptor.buildFrom(MONEY, new FileDescriptor[0]);
    FileDescriptor catalog = FileDescriptor.buildFrom(CATALOG, new FileDescriptor[] {moneyFile});
    reply = catalog.findMessageTypeByName("ListReply");
    item = catalog.findMessageTypeByName("Item");
    money = moneyFile.findMessageTypeByName("Money");
  }

  private static FieldDescriptorProto field(String name, int number, Type type, String typeName, boolean repeated) {
    FieldDescriptorProto.Builder b = FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type)
        .setLabel(repeated ? Label.LABEL_REPEATED : Label.LABEL_OPTIONAL);
    if (typeName != null) {
      b.setTypeName(typeName);
    }
    return b.build();
  }

  private DynamicMessage item(String name, long cents, String... tags) {
    DynamicMessage price = DynamicMessage.newBuilder(money).setField(money.findFieldByName("cents"), cents)
        .setField(money.findFieldByName("currency"), "EUR").build();
    DynamicMessage.Builder b = DynamicMessage.newBuilder(item).setField(item.findFieldByName("name"), name)
        .setField(item.findFieldByName("price"), price);
    for (String tag : tags) {
      b.addRepeatedField(item.findFieldByName("tags"), tag);
    }
    return b.build();
  }

  private byte[] reply(boolean partial, DynamicMessage... items) {
    DynamicMessage.Builder b = DynamicMessage.newBuilder(reply);
    for (DynamicMessage i : items) {
      b.addRepeatedField(reply.findFieldByName("items"), i);
    }
    if (partial) {
      b.setField(reply.findFieldByName("state"), reply.findEnumTypeByName("State").findValueByName("PARTIAL"));
    }
    return b.build().toByteArray();
  }

  /** The messages length-prefixed, as a gRPC response body. */
  private static byte[] body(byte[]... messages) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] m : messages) {
      out.write(0);
      out.write(m.length >>> 24);
      out.write(m.length >>> 16);
      out.write(m.length >>> 8);
      out.write(m.length);
      out.writeBytes(m);
    }
    return out.toByteArray();
  }

  private static Response.Answer grpc(byte[] body) {
    return new Response.Answer(200, List.of(HttpHeader.of("content-type", "application/grpc"),
        HttpHeader.of("grpc-status", "0")), body, false, 0);
  }

  private static DiffResult diff(GrpcSchema schema, String path, byte[] primary, byte[] candidate) {
    DiffEngine engine = new DiffEngine(DiffConfig.defaults().withGrpcSchema(schema));
    return engine.compare(new ExchangeSample(RequestCopy.of("r", "POST", path), grpc(primary), grpc(candidate), null));
  }

  @Test
  void readsEveryMethodOfADescriptorSetWithItsImports() {
    GrpcSchema schema = GrpcSchema.parse(SET);
    assertEquals(1, schema.methods());
    assertEquals("shop.ListReply", schema.responseType(LIST + "?x=1").getFullName());
  }

  @Test
  void comparesMessagesFieldByFieldWithTheirProtoNames() {
    byte[] a = body(reply(false, item("pen", 150, "office"), item("ink", 300)));
    byte[] b = body(reply(true, item("pen", 150, "office", "sale"), item("ink", 275)));
    DiffResult result = diff(GrpcSchema.parse(SET), LIST, a, b);
    assertEquals(BodyMode.GRPC, result.bodyMode());
    assertEquals(List.of(
            "body.messages[0].items[0].tags ARRAY_LENGTH 1 -> 2",
            "body.messages[0].items[1].price.cents VALUE_CHANGED 300 -> 275",
            "body.messages[0].state EXTRA null -> \"PARTIAL\""),
        result.differences().stream().map(GrpcSchemaTest::describe).toList());

    // without the schema the same pair differs only as one opaque message
    DiffResult raw = diff(GrpcSchema.NONE, LIST, a, b);
    assertEquals(List.of("body.messages[0]"), raw.differences().stream().map(Difference::path).toList());
  }

  @Test
  void theSameFieldsInAnotherByteOrderAreTheSame() {
    // Money {cents: 5, currency: "EUR"} encoded in field order, then with currency first
    byte[] inOrder = {0x08, 0x05, 0x12, 0x03, 'E', 'U', 'R'};
    byte[] reversed = {0x12, 0x03, 'E', 'U', 'R', 0x08, 0x05};
    byte[] a = body(reply(false, item("pen", 5)));
    byte[] b = body(swap(reply(false, item("pen", 5)), inOrder, reversed));
    assertTrue(!java.util.Arrays.equals(a, b));
    assertEquals(ExchangeOutcome.SAME, diff(GrpcSchema.parse(SET), LIST, a, b).outcome());
    assertEquals(ExchangeOutcome.DIFFERENT, diff(GrpcSchema.NONE, LIST, a, b).outcome());
  }

  @Test
  void aMethodTheSchemaDoesNotKnowOrAMessageThatDoesNotDecodeIsComparedByItsBytes() {
    byte[] a = body(reply(false, item("pen", 150)));
    byte[] b = body(reply(false, item("pen", 151)));
    assertEquals(List.of("body.messages[0]"),
        diff(GrpcSchema.parse(SET), "/shop.Other/List", a, b).differences().stream().map(Difference::path).toList());
    byte[] garbage = body(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
    assertEquals(List.of("body.messages[0]"),
        diff(GrpcSchema.parse(SET), LIST, a, garbage).differences().stream().map(Difference::path).toList());
  }

  @Test
  void refusesASetThatIsNotOneOrLacksAnImport() {
    assertThrows(IllegalArgumentException.class, () -> GrpcSchema.parse(new byte[] {(byte) 0xff, 0x01}));
    byte[] withoutMoney = FileDescriptorSet.newBuilder().addFile(CATALOG).build().toByteArray();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GrpcSchema.parse(withoutMoney));
    assertTrue(e.getMessage().contains("import money.proto is not in the descriptor set"), e.getMessage());
  }

  private static byte[] swap(byte[] in, byte[] from, byte[] to) {
    String text = new String(in, java.nio.charset.StandardCharsets.ISO_8859_1);
    String swapped = text.replace(new String(from, java.nio.charset.StandardCharsets.ISO_8859_1),
        new String(to, java.nio.charset.StandardCharsets.ISO_8859_1));
    return swapped.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  private static String describe(Difference d) {
    return d.path() + " " + d.kind() + " " + d.primary() + " -> " + d.candidate();
  }
}
