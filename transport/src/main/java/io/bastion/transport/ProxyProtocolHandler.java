package io.bastion.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the client's real address from the PROXY protocol header (v1 or v2, decoded ahead by
 * Netty's HAProxyMessageDecoder) that a load balancer sends first, then leaves the pipeline.
 * A LOCAL command (the balancer's own health check) keeps the socket's address.
 */
final class ProxyProtocolHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ProxyProtocolHandler.class);

    /** The client address the PROXY header named. */
    static final AttributeKey<InetSocketAddress> SOURCE = AttributeKey.valueOf("bastion.proxy.source");

    static InetSocketAddress remoteAddress(Channel ch) {
        // hasAttr first: attr() would give every channel an attribute map of its own
        InetSocketAddress proxied = ch.hasAttr(SOURCE) ? ch.attr(SOURCE).get() : null;
        return proxied != null ? proxied : (InetSocketAddress) ch.remoteAddress();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HAProxyMessage header) {
            try {
                if (header.command() == HAProxyCommand.PROXY && header.sourceAddress() != null) {
                    InetSocketAddress resolved = toAddress(header);
                    ctx.channel().attr(SOURCE).set(resolved);
                    log.debug(
                            "PROXY {}: client {} via {}",
                            header.protocolVersion(),
                            resolved,
                            ctx.channel().remoteAddress());
                }
            } finally {
                header.release();
            }
            ctx.pipeline().remove(this);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private static InetSocketAddress toAddress(HAProxyMessage header) {
        try {
            // the header carries a numeric address: no name lookup happens
            return new InetSocketAddress(java.net.InetAddress.getByName(header.sourceAddress()), header.sourcePort());
        } catch (java.net.UnknownHostException e) {
            return InetSocketAddress.createUnresolved(header.sourceAddress(), header.sourcePort());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof HAProxyProtocolException || cause.getCause() instanceof HAProxyProtocolException) {
            log.info(
                    "closing connection from {}: no valid PROXY protocol header ({})",
                    ctx.channel().remoteAddress(),
                    cause.getMessage());
            ctx.close();
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }
}
