"""The Kafka source's security options, handed over by submitJob in PITCHSTREAM_KAFKA_OPTIONS."""

import json
import unittest

from pitchstream_jobs.kafka_security import KAFKA_OPTIONS_VARIABLE, describe_kafka_security, kafka_security_options

SASL_SSL = {
    "kafka.security.protocol": "SASL_SSL",
    "kafka.sasl.mechanism": "SCRAM-SHA-512",
    "kafka.sasl.jaas.config": 'org.apache.kafka.common.security.scram.ScramLoginModule required username="u" password="secret";',
    "kafka.ssl.truststore.type": "PEM",
    "kafka.ssl.truststore.certificates": "-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----\n",
}


class KafkaSecurityOptionsTest(unittest.TestCase):
    def test_plaintext_without_the_variable(self) -> None:
        self.assertEqual(kafka_security_options({}), {})
        self.assertEqual(describe_kafka_security({}), "PLAINTEXT")

    def test_reads_the_options_and_describes_them_without_secrets(self) -> None:
        options = kafka_security_options({KAFKA_OPTIONS_VARIABLE: json.dumps(SASL_SSL)})
        self.assertEqual(options, SASL_SSL)
        described = describe_kafka_security(options)
        self.assertEqual(described, "SASL_SSL, SCRAM-SHA-512, CA from the configuration")
        self.assertNotIn("secret", described)

    def test_refuses_what_submitJob_would_not_write(self) -> None:
        for raw, message in [
            ("{not json", "is not JSON"),
            ('["kafka.security.protocol"]', "must be a JSON object of strings"),
            ('{"kafka.security.protocol": 1}', "must be a JSON object of strings"),
            ('{"spark.executor.memory": "8g"}', "not Kafka client settings: spark.executor.memory"),
        ]:
            with self.subTest(raw=raw), self.assertRaisesRegex(ValueError, message):
                kafka_security_options({KAFKA_OPTIONS_VARIABLE: raw})


if __name__ == "__main__":
    unittest.main()
