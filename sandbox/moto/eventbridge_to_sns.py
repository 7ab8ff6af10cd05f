"""EventBridge rules delivering to SNS topics, which moto 5.2.1 lacks.

moto evaluates a rule's pattern on PutEvents and delivers to SQS, log-group and event-bus targets, but
raises NotImplementedError for an SNS target, and the whole PutEvents then fails (HTTP 500): the rule's
other targets get nothing either. The access monitoring's rules publish to an SNS topic, so without
this neither the sandbox's alerts nor a test's extra SQS target of such a rule would ever arrive.

install() adds what AWS does: the matched event, through the target's input transformer (moto's own
template parser) or its constant input, is published to the topic, whose subscriptions moto serves
(SNS to SQS works). Everything else stays moto's. Not modelled: the topic policy and its KMS key
policy (AWS drops the message when either refuses EventBridge; the verification's check reads both),
retries and dead-letter queues.
"""

import copy
import json

from moto.events import models as events_models
from moto.events.utils import EventTemplateParser
from moto.sns.models import sns_backends
from moto.utilities.arns import parse_arn


def _message_for(target: dict, event: dict) -> str:
    if "Input" in target:
        return target["Input"]
    transformer = target.get("InputTransformer")
    if transformer:
        transformed = EventTemplateParser.parse(
            input_template=transformer.get("InputTemplate"),
            input_paths_map=transformer.get("InputPathsMap", {}),
            event=event,
        )
        return transformed if isinstance(transformed, str) else json.dumps(transformed)
    return json.dumps({key: value for key, value in event.items() if key != "ingestion-time"})


def _is_sns(target: dict) -> bool:
    return parse_arn(target["Arn"]).service == "sns"


def install() -> None:
    original = events_models.Rule.send_to_targets

    def send_to_targets(self, original_event, transform_input: bool = True) -> None:
        if not any(_is_sns(target) for target in self.targets):
            return original(self, original_event, transform_input)
        if not self.event_pattern.matches_event(original_event):
            return None
        for target in self.targets:
            if _is_sns(target):
                arn = parse_arn(target["Arn"])
                topic = sns_backends[arn.account][arn.region].get_topic(target["Arn"])
                topic.publish(_message_for(target, original_event) if transform_input else json.dumps(original_event))
        # moto's own delivery for the rest, on a copy: the rule itself may be read by other requests meanwhile.
        rest = copy.copy(self)
        rest.targets = [target for target in self.targets if not _is_sns(target)]
        return original(rest, original_event, transform_input)

    events_models.Rule.send_to_targets = send_to_targets
