package com.aicompanion.monitoring.tracing;

import com.aicompanion.monitoring.testsupport.otlp.ReceivedSpans;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * An OTLP/gRPC receiver on 127.0.0.1: a real HTTP/2 gRPC server with the collector's {@code
 * TraceService/Export} method registered by hand, decoding the real protobuf, as Jaeger's port 4317
 * would. Stands in for Jaeger, which cannot run here.
 */
final class OtlpGrpcReceiver implements AutoCloseable {
  private static final String SERVICE = "opentelemetry.proto.collector.trace.v1.TraceService";

  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  final ReceivedSpans spans = new ReceivedSpans();
  private final Server server;

  private OtlpGrpcReceiver(Server server) {
    this.server = server;
  }

  static OtlpGrpcReceiver start() throws IOException {
    OtlpGrpcReceiver[] self = new OtlpGrpcReceiver[1];
    MethodDescriptor<byte[], byte[]> export =
        MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Export"))
            .setRequestMarshaller(BYTES)
            .setResponseMarshaller(BYTES)
            .build();
    ServerServiceDefinition service =
        ServerServiceDefinition.builder(SERVICE)
            .addMethod(export, (call, headers) -> self[0].listen(call))
            .build();
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(service)
            .build()
            .start();
    self[0] = new OtlpGrpcReceiver(server);
    return self[0];
  }

  private ServerCall.Listener<byte[]> listen(ServerCall<byte[], byte[]> call) {
    call.request(1);
    return new ServerCall.Listener<byte[]>() {
      @Override
      public void onMessage(byte[] message) {
        try {
          spans.add(ExportTraceServiceRequest.parseFrom(message));
        } catch (InvalidProtocolBufferException e) {
          call.close(Status.INVALID_ARGUMENT.withDescription(e.toString()), new Metadata());
          return;
        }
        call.sendHeaders(new Metadata());
        call.sendMessage(ExportTraceServiceResponse.getDefaultInstance().toByteArray());
        call.close(Status.OK, new Metadata());
      }
    };
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getPort());
  }

  @Override
  public void close() {
    try {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
