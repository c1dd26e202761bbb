package io.bastion.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One admin HTTP connection: checks the bearer token, hands the request to {@link AdminApi} and writes its JSON
 * answer. Refused requests are logged with the remote address (never the presented token).
 */
final class AdminHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(AdminHttpHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AdminApi api;
    private final AdminToken token;

    AdminHttpHandler(AdminApi api, AdminToken token) {
        this.api = api;
        this.token = token;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            write(ctx, api.error(400, "malformed HTTP request"), false);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String method = request.method().name();
        if (!token.matches(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            log.warn(
                    "admin API: {} {} from {} refused: missing or wrong bearer token",
                    method,
                    uri.path(),
                    ctx.channel().remoteAddress());
            write(ctx, api.error(401, "a valid bearer token is required (Authorization: Bearer <token>)"), keepAlive);
            return;
        }
        if (!uri.rawPath().startsWith(AdminApi.PREFIX)) {
            write(ctx, api.error(404, "no such resource: " + uri.path()), keepAlive);
            return;
        }
        List<String> segments = segments(uri.rawPath().substring(AdminApi.PREFIX.length()));
        byte[] body = ByteBufUtil.getBytes(request.content());
        log.info("admin API: {} {} from {}", method, uri.path(), ctx.channel().remoteAddress());
        api.handle(method, segments, body)
                .whenComplete((response, error) -> ctx.executor().execute(() -> {
                    if (error != null) {
                        log.warn("admin API: {} {} failed", method, uri.path(), error);
                        write(ctx, api.error(500, "internal error; see the server log"), keepAlive);
                    } else {
                        write(ctx, response, keepAlive);
                    }
                }));
    }

    /** Path segments, each percent-decoded on its own so an encoded {@code /} (a CIDR range) stays in its segment. */
    private static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String s : rawPath.split("/", -1)) {
            if (!s.isEmpty()) {
                segments.add(QueryStringDecoder.decodeComponent(s));
            }
        }
        return segments;
    }

    private static void write(ChannelHandlerContext ctx, AdminApi.Response response, boolean keepAlive) {
        HttpResponseStatus status = HttpResponseStatus.valueOf(response.status());
        ByteBuf content = Unpooled.EMPTY_BUFFER;
        if (response.body() != null) {
            try {
                content = Unpooled.wrappedBuffer(
                        JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(response.body()));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("a JSON tree always serializes", e);
            }
        }
        FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        if (response.body() != null) {
            http.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        }
        if (response.status() == 401) {
            http.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"bastion-admin\"");
        }
        http.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        HttpUtil.setContentLength(http, content.readableBytes());
        if (keepAlive) {
            http.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(http);
        } else {
            ctx.writeAndFlush(http).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("admin API connection from {} failed", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }
}
