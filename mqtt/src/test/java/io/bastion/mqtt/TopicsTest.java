package io.bastion.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicsTest {

    // ---- topic names

    @ParameterizedTest(name = "[MQTT-3.3.2-2] topic name ''{0}'' is invalid: wildcards are not allowed")
    @ValueSource(strings = {"+", "#", "a/+", "a/#", "sport/tennis#", "a+b"})
    void topicNameWithWildcardIsInvalid(String topic) {
        assertThat(Topics.isValidTopicName(topic)).isFalse();
    }

    @Test
    @DisplayName("[MQTT-4.7.3-1] an empty topic name is invalid")
    void emptyTopicNameIsInvalid() {
        assertThat(Topics.isValidTopicName("")).isFalse();
        assertThat(Topics.isValidTopicName(null)).isFalse();
    }

    @Test
    @DisplayName("[MQTT-4.7.3-2] a topic name or filter containing U+0000 is invalid")
    void nullCharacterIsInvalid() {
        assertThat(Topics.isValidTopicName("a\u0000b")).isFalse();
        assertThat(Topics.isValidTopicFilter("a/\u0000")).isFalse();
        assertThat(Topics.isValidTopicFilter("$share/g\u0000/a")).isFalse();
    }

    @ParameterizedTest(name = "[4.7.1.1] topic name ''{0}'' is valid")
    @ValueSource(strings = {"a", "/", "//", "/finance", "a//b", "$SYS/broker/load", "sport/tennis/player1", " ", "ü/€"})
    void validTopicNames(String topic) {
        assertThat(Topics.isValidTopicName(topic)).isTrue();
    }

    // ---- topic filters

    @Test
    @DisplayName("[MQTT-4.7.3-1] an empty topic filter is invalid")
    void emptyTopicFilterIsInvalid() {
        assertThat(Topics.isValidTopicFilter("")).isFalse();
        assertThat(Topics.isValidTopicFilter(null)).isFalse();
    }

    @ParameterizedTest(name = "[MQTT-4.7.1-2] filter ''{0}'' is valid: # is the whole last level")
    @ValueSource(strings = {"#", "sport/#", "sport/tennis/player1/#", "/#", "+/#", "//#"})
    void multiLevelWildcardAsLastLevelIsValid(String filter) {
        assertThat(Topics.isValidTopicFilter(filter)).isTrue();
    }

    @ParameterizedTest(name = "[MQTT-4.7.1-2] filter ''{0}'' is invalid: # must be the whole last level")
    @ValueSource(strings = {"sport/tennis#", "sport/tennis/#/ranking", "#/", "##", "a#", "#a", "a/#/"})
    void misplacedMultiLevelWildcardIsInvalid(String filter) {
        assertThat(Topics.isValidTopicFilter(filter)).isFalse();
    }

    @ParameterizedTest(name = "[MQTT-4.7.1-3] filter ''{0}'' is valid: + occupies a whole level")
    @ValueSource(strings = {"+", "+/tennis/#", "sport/+/player1", "/+", "+/+", "+//+", "a/+", "+/"})
    void singleLevelWildcardAsWholeLevelIsValid(String filter) {
        assertThat(Topics.isValidTopicFilter(filter)).isTrue();
    }

    @ParameterizedTest(name = "[MQTT-4.7.1-3] filter ''{0}'' is invalid: + must occupy a whole level")
    @ValueSource(strings = {"sport+", "a/b+", "+a", "a/+b/c", "++", "+#"})
    void partialSingleLevelWildcardIsInvalid(String filter) {
        assertThat(Topics.isValidTopicFilter(filter)).isFalse();
    }

    @ParameterizedTest(name = "[MQTT-4.8.2-1] shared filter ''{0}'' is valid")
    @ValueSource(
            strings = {"$share/g/a", "$share/g/#", "$share/g/+/x", "$share/consumer1/sport/tennis/+", "$share/g//"})
    void validSharedFilters(String filter) {
        assertThat(Topics.isValidTopicFilter(filter)).isTrue();
    }

    @ParameterizedTest(name = "[MQTT-4.8.2-1] shared filter ''{0}'' is invalid: needs a share name and a filter")
    @ValueSource(strings = {"$share/", "$share/g", "$share//a", "$share/g/", "$share/g/a#", "$share/g/a/#/b"})
    void sharedFilterWithoutNameOrFilterIsInvalid(String filter) {
        assertThat(Topics.isValidTopicFilter(filter)).isFalse();
    }

    @ParameterizedTest(name = "[MQTT-4.8.2-2] shared filter ''{0}'' is invalid: the share name has no + or #")
    @ValueSource(strings = {"$share/+/a", "$share/#/a", "$share/g+/a", "$share/g#/a"})
    void shareNameWithWildcardIsInvalid(String filter) {
        assertThat(Topics.isValidTopicFilter(filter)).isFalse();
    }

    @Test
    @DisplayName("[4.8.2] '$share' without a slash, or '$shared/...', is an ordinary filter")
    void notSharedLookalikes() {
        assertThat(Topics.isShared("$share")).isFalse();
        assertThat(Topics.isValidTopicFilter("$share")).isTrue();
        assertThat(Topics.shareGroup("$shared/g/a")).isNull();
        assertThat(Topics.stripShare("$shared/g/a")).isEqualTo("$shared/g/a");
    }

    @Test
    @DisplayName("[4.8.2] shareGroup and stripShare split $share/{ShareName}/{filter}")
    void parsesSharedFilters() {
        assertThat(Topics.shareGroup("$share/consumer1/sport/tennis/+")).isEqualTo("consumer1");
        assertThat(Topics.stripShare("$share/consumer1/sport/tennis/+")).isEqualTo("sport/tennis/+");
        assertThat(Topics.shareGroup("$share/g/#")).isEqualTo("g");
        assertThat(Topics.stripShare("$share/g/#")).isEqualTo("#");
        assertThat(Topics.shareGroup("sport/#")).isNull();
        assertThat(Topics.stripShare("sport/#")).isEqualTo("sport/#");
    }

    @Test
    @DisplayName("hasWildcard finds + and # anywhere")
    void hasWildcard() {
        assertThat(Topics.hasWildcard("a/b")).isFalse();
        assertThat(Topics.hasWildcard("$share/g/a")).isFalse();
        assertThat(Topics.hasWildcard("a/+")).isTrue();
        assertThat(Topics.hasWildcard("#")).isTrue();
        assertThat(Topics.hasWildcard("$share/g/+/b")).isTrue();
    }

    // ---- matching

    @ParameterizedTest(name = "{2} ''{0}'' matches ''{1}''")
    @CsvSource(delimiter = '|', textBlock = """
            sport/tennis/player1/#   | sport/tennis/player1                   | [MQTT-4.7.1-2]
            sport/tennis/player1/#   | sport/tennis/player1/ranking           | [MQTT-4.7.1-2]
            sport/tennis/player1/#   | sport/tennis/player1/score/wimbledon   | [MQTT-4.7.1-2]
            sport/#                  | sport                                  | [MQTT-4.7.1-2]
            '#'                        | sport/tennis                           | [MQTT-4.7.1-2]
            '#'                        | /                                      | [MQTT-4.7.1-2]
            a/#                      | a/                                     | [MQTT-4.7.1-2]
            sport/tennis/+           | sport/tennis/player1                   | [MQTT-4.7.1-3]
            sport/tennis/+           | sport/tennis/player2                   | [MQTT-4.7.1-3]
            sport/+                  | sport/                                 | [MQTT-4.7.1-3]
            +/+                      | /finance                               | [MQTT-4.7.1-3]
            /+                       | /finance                               | [MQTT-4.7.1-3]
            a/+/b                    | a//b                                   | [MQTT-4.7.1-3]
            +                        | a                                      | [MQTT-4.7.1-3]
            +/#                      | a                                      | [MQTT-4.7.1-3]
            +/+/+                    | //                                     | [MQTT-4.7.1-3]
            $SYS/#                   | $SYS/monitor/Clients                   | [MQTT-4.7.2-1]
            $SYS/monitor/+           | $SYS/monitor/Clients                   | [MQTT-4.7.2-1]
            $SYS/#                   | $SYS                                   | [MQTT-4.7.2-1]
            a/$b/+                   | a/$b/c                                 | [4.7.2]
            ACCOUNTS                 | ACCOUNTS                               | [4.7.3]
            /finance                 | /finance                               | [4.7.3]
            $share/g/sport/#         | sport/tennis                           | [MQTT-4.8.2-1]
            $share/g/+/x             | a/x                                    | [MQTT-4.8.2-1]
            """)
    void matches(String filter, String topic, String statement) {
        assertThat(Topics.matches(filter, topic)).isTrue();
    }

    @ParameterizedTest(name = "{2} ''{0}'' does not match ''{1}''")
    @CsvSource(delimiter = '|', textBlock = """
            sport/tennis/+           | sport/tennis/player1/ranking           | [MQTT-4.7.1-3]
            sport/+                  | sport                                  | [MQTT-4.7.1-3]
            +                        | /finance                               | [MQTT-4.7.1-3]
            +/+                      | a/b/c                                  | [MQTT-4.7.1-3]
            a/+/b                    | a/b                                    | [MQTT-4.7.1-3]
            '#'                        | $SYS/monitor/Clients                   | [MQTT-4.7.2-1]
            +/monitor/Clients        | $SYS/monitor/Clients                   | [MQTT-4.7.2-1]
            '#'                        | $SYS                                   | [MQTT-4.7.2-1]
            +                        | $                                      | [MQTT-4.7.2-1]
            +/#                      | $SYS/x                                 | [MQTT-4.7.2-1]
            $share/g/#               | $SYS/x                                 | [MQTT-4.7.2-1]
            ACCOUNTS                 | Accounts                               | [4.7.3]
            /finance                 | finance                                | [4.7.3]
            finance                  | /finance                               | [4.7.3]
            sport/tennis             | sport/tennis/                          | [4.7.3]
            sport/tennis/            | sport/tennis                           | [4.7.3]
            sport/tennis/#           | sport/tennisx                          | [MQTT-4.7.1-2]
            sport/tennis/#           | sport                                  | [MQTT-4.7.1-2]
            a/b                      | a/bc                                   | [4.7.3]
            a/bc                     | a/b                                    | [4.7.3]
            $share/g                 | g                                      | [MQTT-4.8.2-1]
            """)
    void doesNotMatch(String filter, String topic, String statement) {
        assertThat(Topics.matches(filter, topic)).isFalse();
    }

    @Test
    @DisplayName("[MQTT-4.7.2-1] a $-topic is matched by a filter that starts with $ itself")
    void dollarTopicsNeedDollarFilters() {
        assertThat(Topics.matches("$SYS/+", "$SYS/uptime")).isTrue();
        assertThat(Topics.matches("+/uptime", "$SYS/uptime")).isFalse();
        assertThat(Topics.matches("+/uptime", "SYS/uptime")).isTrue();
    }
}
