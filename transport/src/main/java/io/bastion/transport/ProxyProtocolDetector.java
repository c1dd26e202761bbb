package io.bastion.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.ProtocolDetectionResult;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a PROXY protocol listener, the first bytes must be a v1 or v2 header: when they are, Netty's
 * decoder takes over; when they are not (a client that bypassed the load balancer), the connection
 * is closed at once rather than left waiting for a header that never comes.
 */
final class ProxyProtocolDetector extends ByteToMessageDecoder {
    private static final Logger log = LoggerFactory.getLogger(ProxyProtocolDetector.class);

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        ProtocolDetectionResult<HAProxyProtocolVersion> result = HAProxyMessageDecoder.detectProtocol(in);
        switch (result.state()) {
            case NEEDS_MORE_DATA -> {}
            case DETECTED -> ctx.pipeline().replace(this, "proxy-protocol", new HAProxyMessageDecoder(true));
            case INVALID -> {
                log.info(
                        "closing connection from {}: it does not start with a PROXY protocol header",
                        ctx.channel().remoteAddress());
                in.skipBytes(in.readableBytes());
                ctx.close();
            }
        }
    }
}
