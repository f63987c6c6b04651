#include "common/protocol/error_code.h"

namespace common::protocol {

std::string_view error_code_name(ErrorCode code) {
    switch (code) {
        case ErrorCode::UnknownServerError:
            return "UNKNOWN_SERVER_ERROR";
        case ErrorCode::None:
            return "NONE";
        case ErrorCode::OffsetOutOfRange:
            return "OFFSET_OUT_OF_RANGE";
        case ErrorCode::CorruptMessage:
            return "CORRUPT_MESSAGE";
        case ErrorCode::UnknownTopicOrPartition:
            return "UNKNOWN_TOPIC_OR_PARTITION";
        case ErrorCode::InvalidFetchSize:
            return "INVALID_FETCH_SIZE";
        case ErrorCode::LeaderNotAvailable:
            return "LEADER_NOT_AVAILABLE";
        case ErrorCode::NotLeaderOrFollower:
            return "NOT_LEADER_OR_FOLLOWER";
        case ErrorCode::RequestTimedOut:
            return "REQUEST_TIMED_OUT";
        case ErrorCode::BrokerNotAvailable:
            return "BROKER_NOT_AVAILABLE";
        case ErrorCode::ReplicaNotAvailable:
            return "REPLICA_NOT_AVAILABLE";
        case ErrorCode::MessageTooLarge:
            return "MESSAGE_TOO_LARGE";
        case ErrorCode::StaleControllerEpoch:
            return "STALE_CONTROLLER_EPOCH";
        case ErrorCode::OffsetMetadataTooLarge:
            return "OFFSET_METADATA_TOO_LARGE";
        case ErrorCode::NetworkException:
            return "NETWORK_EXCEPTION";
        case ErrorCode::CoordinatorLoadInProgress:
            return "COORDINATOR_LOAD_IN_PROGRESS";
        case ErrorCode::CoordinatorNotAvailable:
            return "COORDINATOR_NOT_AVAILABLE";
        case ErrorCode::NotCoordinator:
            return "NOT_COORDINATOR";
        case ErrorCode::InvalidTopicException:
            return "INVALID_TOPIC_EXCEPTION";
        case ErrorCode::RecordListTooLarge:
            return "RECORD_LIST_TOO_LARGE";
        case ErrorCode::NotEnoughReplicas:
            return "NOT_ENOUGH_REPLICAS";
        case ErrorCode::NotEnoughReplicasAfterAppend:
            return "NOT_ENOUGH_REPLICAS_AFTER_APPEND";
        case ErrorCode::InvalidRequiredAcks:
            return "INVALID_REQUIRED_ACKS";
        case ErrorCode::IllegalGeneration:
            return "ILLEGAL_GENERATION";
        case ErrorCode::InconsistentGroupProtocol:
            return "INCONSISTENT_GROUP_PROTOCOL";
        case ErrorCode::InvalidGroupId:
            return "INVALID_GROUP_ID";
        case ErrorCode::UnknownMemberId:
            return "UNKNOWN_MEMBER_ID";
        case ErrorCode::InvalidSessionTimeout:
            return "INVALID_SESSION_TIMEOUT";
        case ErrorCode::RebalanceInProgress:
            return "REBALANCE_IN_PROGRESS";
        case ErrorCode::InvalidCommitOffsetSize:
            return "INVALID_COMMIT_OFFSET_SIZE";
        case ErrorCode::TopicAuthorizationFailed:
            return "TOPIC_AUTHORIZATION_FAILED";
        case ErrorCode::GroupAuthorizationFailed:
            return "GROUP_AUTHORIZATION_FAILED";
        case ErrorCode::ClusterAuthorizationFailed:
            return "CLUSTER_AUTHORIZATION_FAILED";
        case ErrorCode::InvalidTimestamp:
            return "INVALID_TIMESTAMP";
        case ErrorCode::UnsupportedSaslMechanism:
            return "UNSUPPORTED_SASL_MECHANISM";
        case ErrorCode::IllegalSaslState:
            return "ILLEGAL_SASL_STATE";
        case ErrorCode::UnsupportedVersion:
            return "UNSUPPORTED_VERSION";
        case ErrorCode::TopicAlreadyExists:
            return "TOPIC_ALREADY_EXISTS";
        case ErrorCode::InvalidPartitions:
            return "INVALID_PARTITIONS";
        case ErrorCode::InvalidReplicationFactor:
            return "INVALID_REPLICATION_FACTOR";
        case ErrorCode::InvalidReplicaAssignment:
            return "INVALID_REPLICA_ASSIGNMENT";
        case ErrorCode::InvalidConfig:
            return "INVALID_CONFIG";
        case ErrorCode::NotController:
            return "NOT_CONTROLLER";
        case ErrorCode::InvalidRequest:
            return "INVALID_REQUEST";
        case ErrorCode::UnsupportedForMessageFormat:
            return "UNSUPPORTED_FOR_MESSAGE_FORMAT";
        case ErrorCode::PolicyViolation:
            return "POLICY_VIOLATION";
        case ErrorCode::OutOfOrderSequenceNumber:
            return "OUT_OF_ORDER_SEQUENCE_NUMBER";
        case ErrorCode::DuplicateSequenceNumber:
            return "DUPLICATE_SEQUENCE_NUMBER";
        case ErrorCode::InvalidProducerEpoch:
            return "INVALID_PRODUCER_EPOCH";
        case ErrorCode::InvalidTxnState:
            return "INVALID_TXN_STATE";
        case ErrorCode::InvalidProducerIdMapping:
            return "INVALID_PRODUCER_ID_MAPPING";
        case ErrorCode::InvalidTransactionTimeout:
            return "INVALID_TRANSACTION_TIMEOUT";
        case ErrorCode::ConcurrentTransactions:
            return "CONCURRENT_TRANSACTIONS";
        case ErrorCode::TransactionCoordinatorFenced:
            return "TRANSACTION_COORDINATOR_FENCED";
        case ErrorCode::TransactionalIdAuthorizationFailed:
            return "TRANSACTIONAL_ID_AUTHORIZATION_FAILED";
        case ErrorCode::SecurityDisabled:
            return "SECURITY_DISABLED";
        case ErrorCode::OperationNotAttempted:
            return "OPERATION_NOT_ATTEMPTED";
        case ErrorCode::KafkaStorageError:
            return "KAFKA_STORAGE_ERROR";
        case ErrorCode::LogDirNotFound:
            return "LOG_DIR_NOT_FOUND";
        case ErrorCode::SaslAuthenticationFailed:
            return "SASL_AUTHENTICATION_FAILED";
        case ErrorCode::UnknownProducerId:
            return "UNKNOWN_PRODUCER_ID";
        case ErrorCode::ReassignmentInProgress:
            return "REASSIGNMENT_IN_PROGRESS";
        case ErrorCode::DelegationTokenAuthDisabled:
            return "DELEGATION_TOKEN_AUTH_DISABLED";
        case ErrorCode::DelegationTokenNotFound:
            return "DELEGATION_TOKEN_NOT_FOUND";
        case ErrorCode::DelegationTokenOwnerMismatch:
            return "DELEGATION_TOKEN_OWNER_MISMATCH";
        case ErrorCode::DelegationTokenRequestNotAllowed:
            return "DELEGATION_TOKEN_REQUEST_NOT_ALLOWED";
        case ErrorCode::DelegationTokenAuthorizationFailed:
            return "DELEGATION_TOKEN_AUTHORIZATION_FAILED";
        case ErrorCode::DelegationTokenExpired:
            return "DELEGATION_TOKEN_EXPIRED";
        case ErrorCode::InvalidPrincipalType:
            return "INVALID_PRINCIPAL_TYPE";
        case ErrorCode::NonEmptyGroup:
            return "NON_EMPTY_GROUP";
        case ErrorCode::GroupIdNotFound:
            return "GROUP_ID_NOT_FOUND";
        case ErrorCode::FetchSessionIdNotFound:
            return "FETCH_SESSION_ID_NOT_FOUND";
        case ErrorCode::InvalidFetchSessionEpoch:
            return "INVALID_FETCH_SESSION_EPOCH";
        case ErrorCode::ListenerNotFound:
            return "LISTENER_NOT_FOUND";
        case ErrorCode::TopicDeletionDisabled:
            return "TOPIC_DELETION_DISABLED";
        case ErrorCode::FencedLeaderEpoch:
            return "FENCED_LEADER_EPOCH";
        case ErrorCode::UnknownLeaderEpoch:
            return "UNKNOWN_LEADER_EPOCH";
        case ErrorCode::UnsupportedCompressionType:
            return "UNSUPPORTED_COMPRESSION_TYPE";
        case ErrorCode::StaleBrokerEpoch:
            return "STALE_BROKER_EPOCH";
        case ErrorCode::OffsetNotAvailable:
            return "OFFSET_NOT_AVAILABLE";
        case ErrorCode::MemberIdRequired:
            return "MEMBER_ID_REQUIRED";
        case ErrorCode::PreferredLeaderNotAvailable:
            return "PREFERRED_LEADER_NOT_AVAILABLE";
        case ErrorCode::GroupMaxSizeReached:
            return "GROUP_MAX_SIZE_REACHED";
        case ErrorCode::FencedInstanceId:
            return "FENCED_INSTANCE_ID";
        case ErrorCode::EligibleLeadersNotAvailable:
            return "ELIGIBLE_LEADERS_NOT_AVAILABLE";
        case ErrorCode::ElectionNotNeeded:
            return "ELECTION_NOT_NEEDED";
        case ErrorCode::NoReassignmentInProgress:
            return "NO_REASSIGNMENT_IN_PROGRESS";
        case ErrorCode::GroupSubscribedToTopic:
            return "GROUP_SUBSCRIBED_TO_TOPIC";
        case ErrorCode::InvalidRecord:
            return "INVALID_RECORD";
        case ErrorCode::UnstableOffsetCommit:
            return "UNSTABLE_OFFSET_COMMIT";
        case ErrorCode::ThrottlingQuotaExceeded:
            return "THROTTLING_QUOTA_EXCEEDED";
        case ErrorCode::ProducerFenced:
            return "PRODUCER_FENCED";
        case ErrorCode::ResourceNotFound:
            return "RESOURCE_NOT_FOUND";
        case ErrorCode::DuplicateResource:
            return "DUPLICATE_RESOURCE";
        case ErrorCode::UnacceptableCredential:
            return "UNACCEPTABLE_CREDENTIAL";
        case ErrorCode::InconsistentVoterSet:
            return "INCONSISTENT_VOTER_SET";
        case ErrorCode::InvalidUpdateVersion:
            return "INVALID_UPDATE_VERSION";
        case ErrorCode::FeatureUpdateFailed:
            return "FEATURE_UPDATE_FAILED";
        case ErrorCode::PrincipalDeserializationFailure:
            return "PRINCIPAL_DESERIALIZATION_FAILURE";
        case ErrorCode::SnapshotNotFound:
            return "SNAPSHOT_NOT_FOUND";
        case ErrorCode::PositionOutOfRange:
            return "POSITION_OUT_OF_RANGE";
        case ErrorCode::UnknownTopicId:
            return "UNKNOWN_TOPIC_ID";
        case ErrorCode::DuplicateBrokerRegistration:
            return "DUPLICATE_BROKER_REGISTRATION";
        case ErrorCode::BrokerIdNotRegistered:
            return "BROKER_ID_NOT_REGISTERED";
        case ErrorCode::InconsistentTopicId:
            return "INCONSISTENT_TOPIC_ID";
        case ErrorCode::InconsistentClusterId:
            return "INCONSISTENT_CLUSTER_ID";
        case ErrorCode::TransactionalIdNotFound:
            return "TRANSACTIONAL_ID_NOT_FOUND";
        case ErrorCode::FetchSessionTopicIdError:
            return "FETCH_SESSION_TOPIC_ID_ERROR";
        case ErrorCode::IneligibleReplica:
            return "INELIGIBLE_REPLICA";
        case ErrorCode::NewLeaderElected:
            return "NEW_LEADER_ELECTED";
        case ErrorCode::OffsetMovedToTieredStorage:
            return "OFFSET_MOVED_TO_TIERED_STORAGE";
        case ErrorCode::FencedMemberEpoch:
            return "FENCED_MEMBER_EPOCH";
        case ErrorCode::UnreleasedInstanceId:
            return "UNRELEASED_INSTANCE_ID";
        case ErrorCode::UnsupportedAssignor:
            return "UNSUPPORTED_ASSIGNOR";
        case ErrorCode::StaleMemberEpoch:
            return "STALE_MEMBER_EPOCH";
        case ErrorCode::MismatchedEndpointType:
            return "MISMATCHED_ENDPOINT_TYPE";
        case ErrorCode::UnsupportedEndpointType:
            return "UNSUPPORTED_ENDPOINT_TYPE";
        case ErrorCode::UnknownControllerId:
            return "UNKNOWN_CONTROLLER_ID";
        case ErrorCode::UnknownSubscriptionId:
            return "UNKNOWN_SUBSCRIPTION_ID";
        case ErrorCode::TelemetryTooLarge:
            return "TELEMETRY_TOO_LARGE";
        case ErrorCode::InvalidRegistration:
            return "INVALID_REGISTRATION";
        case ErrorCode::TransactionAbortable:
            return "TRANSACTION_ABORTABLE";
        case ErrorCode::InvalidRecordState:
            return "INVALID_RECORD_STATE";
        case ErrorCode::ShareSessionNotFound:
            return "SHARE_SESSION_NOT_FOUND";
        case ErrorCode::InvalidShareSessionEpoch:
            return "INVALID_SHARE_SESSION_EPOCH";
        case ErrorCode::FencedStateEpoch:
            return "FENCED_STATE_EPOCH";
        case ErrorCode::InvalidVoterKey:
            return "INVALID_VOTER_KEY";
        case ErrorCode::DuplicateVoter:
            return "DUPLICATE_VOTER";
        case ErrorCode::VoterNotFound:
            return "VOTER_NOT_FOUND";
    }
    return "UNKNOWN";
}

std::string_view error_code_message(ErrorCode code) {
    switch (code) {
        case ErrorCode::UnknownServerError:
            return "Unexpected server error.";
        case ErrorCode::None:
            return "No error.";
        case ErrorCode::OffsetOutOfRange:
            return "Offset is outside the partition's log range.";
        case ErrorCode::CorruptMessage:
            return "Record failed its checksum or is malformed.";
        case ErrorCode::UnknownTopicOrPartition:
            return "Topic or partition is not hosted here.";
        case ErrorCode::InvalidFetchSize:
            return "Requested fetch size is invalid.";
        case ErrorCode::LeaderNotAvailable:
            return "Partition has no leader right now.";
        case ErrorCode::NotLeaderOrFollower:
            return "This broker is not the partition's leader or follower.";
        case ErrorCode::RequestTimedOut:
            return "Request timed out.";
        case ErrorCode::BrokerNotAvailable:
            return "Broker is not available.";
        case ErrorCode::ReplicaNotAvailable:
            return "Replica is not available.";
        case ErrorCode::MessageTooLarge:
            return "Record batch exceeds the size limit.";
        case ErrorCode::StaleControllerEpoch:
            return "Controller epoch is stale.";
        case ErrorCode::OffsetMetadataTooLarge:
            return "Offset commit metadata is too large.";
        case ErrorCode::NetworkException:
            return "Connection closed before a response arrived.";
        case ErrorCode::CoordinatorLoadInProgress:
            return "Coordinator is still loading.";
        case ErrorCode::CoordinatorNotAvailable:
            return "Coordinator is not available.";
        case ErrorCode::NotCoordinator:
            return "This broker is not the coordinator.";
        case ErrorCode::InvalidTopicException:
            return "Topic name is invalid or reserved.";
        case ErrorCode::RecordListTooLarge:
            return "Record batch exceeds the segment size.";
        case ErrorCode::NotEnoughReplicas:
            return "Fewer in-sync replicas than required.";
        case ErrorCode::NotEnoughReplicasAfterAppend:
            return "Written, but fewer in-sync replicas than required.";
        case ErrorCode::InvalidRequiredAcks:
            return "Requested acks value is invalid.";
        case ErrorCode::IllegalGeneration:
            return "Group generation id is not current.";
        case ErrorCode::InconsistentGroupProtocol:
            return "Member protocols do not match the group's.";
        case ErrorCode::InvalidGroupId:
            return "Group id is invalid.";
        case ErrorCode::UnknownMemberId:
            return "Member id is not known to the group.";
        case ErrorCode::InvalidSessionTimeout:
            return "Session timeout is outside the allowed range.";
        case ErrorCode::RebalanceInProgress:
            return "Group is rebalancing.";
        case ErrorCode::InvalidCommitOffsetSize:
            return "Committed offset metadata size is invalid.";
        case ErrorCode::TopicAuthorizationFailed:
            return "Not authorized for the topic.";
        case ErrorCode::GroupAuthorizationFailed:
            return "Not authorized for the group.";
        case ErrorCode::ClusterAuthorizationFailed:
            return "Not authorized for the cluster.";
        case ErrorCode::InvalidTimestamp:
            return "Record timestamp is out of the accepted range.";
        case ErrorCode::UnsupportedSaslMechanism:
            return "SASL mechanism is not enabled.";
        case ErrorCode::IllegalSaslState:
            return "Request is not valid in the current SASL state.";
        case ErrorCode::UnsupportedVersion:
            return "API version is not supported.";
        case ErrorCode::TopicAlreadyExists:
            return "Topic already exists.";
        case ErrorCode::InvalidPartitions:
            return "Partition count is invalid.";
        case ErrorCode::InvalidReplicationFactor:
            return "Replication factor is invalid.";
        case ErrorCode::InvalidReplicaAssignment:
            return "Replica assignment is invalid.";
        case ErrorCode::InvalidConfig:
            return "Configuration is invalid.";
        case ErrorCode::NotController:
            return "This broker is not the controller.";
        case ErrorCode::InvalidRequest:
            return "Request is malformed or inconsistent.";
        case ErrorCode::UnsupportedForMessageFormat:
            return "Not supported by the topic's message format.";
        case ErrorCode::PolicyViolation:
            return "Request violates a configured policy.";
        case ErrorCode::OutOfOrderSequenceNumber:
            return "Producer sequence number is out of order.";
        case ErrorCode::DuplicateSequenceNumber:
            return "Producer sequence number is a duplicate.";
        case ErrorCode::InvalidProducerEpoch:
            return "Producer epoch is stale.";
        case ErrorCode::InvalidTxnState:
            return "Operation is invalid in the transaction's state.";
        case ErrorCode::InvalidProducerIdMapping:
            return "Producer id does not match the transactional id.";
        case ErrorCode::InvalidTransactionTimeout:
            return "Transaction timeout exceeds the maximum.";
        case ErrorCode::ConcurrentTransactions:
            return "Another transaction operation is in progress.";
        case ErrorCode::TransactionCoordinatorFenced:
            return "Transaction coordinator epoch is stale.";
        case ErrorCode::TransactionalIdAuthorizationFailed:
            return "Not authorized for the transactional id.";
        case ErrorCode::SecurityDisabled:
            return "Security features are disabled.";
        case ErrorCode::OperationNotAttempted:
            return "Operation was not attempted.";
        case ErrorCode::KafkaStorageError:
            return "Disk error on the broker.";
        case ErrorCode::LogDirNotFound:
            return "Log directory not found.";
        case ErrorCode::SaslAuthenticationFailed:
            return "SASL authentication failed.";
        case ErrorCode::UnknownProducerId:
            return "Producer id is not known.";
        case ErrorCode::ReassignmentInProgress:
            return "A partition reassignment is in progress.";
        case ErrorCode::DelegationTokenAuthDisabled:
            return "Delegation tokens are disabled.";
        case ErrorCode::DelegationTokenNotFound:
            return "Delegation token not found.";
        case ErrorCode::DelegationTokenOwnerMismatch:
            return "Delegation token owner mismatch.";
        case ErrorCode::DelegationTokenRequestNotAllowed:
            return "Delegation token requests are not allowed on this channel.";
        case ErrorCode::DelegationTokenAuthorizationFailed:
            return "Not authorized for the delegation token.";
        case ErrorCode::DelegationTokenExpired:
            return "Delegation token expired.";
        case ErrorCode::InvalidPrincipalType:
            return "Principal type is not supported.";
        case ErrorCode::NonEmptyGroup:
            return "Group is not empty.";
        case ErrorCode::GroupIdNotFound:
            return "Group id not found.";
        case ErrorCode::FetchSessionIdNotFound:
            return "Fetch session id not found.";
        case ErrorCode::InvalidFetchSessionEpoch:
            return "Fetch session epoch is invalid.";
        case ErrorCode::ListenerNotFound:
            return "Leader has no endpoint for the requested listener.";
        case ErrorCode::TopicDeletionDisabled:
            return "Topic deletion is disabled.";
        case ErrorCode::FencedLeaderEpoch:
            return "Leader epoch is older than the broker's.";
        case ErrorCode::UnknownLeaderEpoch:
            return "Leader epoch is newer than the broker's.";
        case ErrorCode::UnsupportedCompressionType:
            return "Compression type is not supported for this version.";
        case ErrorCode::StaleBrokerEpoch:
            return "Broker epoch is stale.";
        case ErrorCode::OffsetNotAvailable:
            return "Leader high watermark has not caught up yet.";
        case ErrorCode::MemberIdRequired:
            return "Group join needs a member id.";
        case ErrorCode::PreferredLeaderNotAvailable:
            return "Preferred leader is not available.";
        case ErrorCode::GroupMaxSizeReached:
            return "Group is at its maximum size.";
        case ErrorCode::FencedInstanceId:
            return "Static member instance id is fenced.";
        case ErrorCode::EligibleLeadersNotAvailable:
            return "No eligible leader for the election.";
        case ErrorCode::ElectionNotNeeded:
            return "Leader election is not needed.";
        case ErrorCode::NoReassignmentInProgress:
            return "No partition reassignment is in progress.";
        case ErrorCode::GroupSubscribedToTopic:
            return "Group is still subscribed to the topic.";
        case ErrorCode::InvalidRecord:
            return "Record failed validation.";
        case ErrorCode::UnstableOffsetCommit:
            return "Pending transactional offset commits exist.";
        case ErrorCode::ThrottlingQuotaExceeded:
            return "Throttling quota exceeded.";
        case ErrorCode::ProducerFenced:
            return "A newer producer with the same transactional id exists.";
        case ErrorCode::ResourceNotFound:
            return "Resource not found.";
        case ErrorCode::DuplicateResource:
            return "Resource appears more than once in the request.";
        case ErrorCode::UnacceptableCredential:
            return "Credential does not meet requirements.";
        case ErrorCode::InconsistentVoterSet:
            return "Voter sets do not match.";
        case ErrorCode::InvalidUpdateVersion:
            return "Update version is invalid.";
        case ErrorCode::FeatureUpdateFailed:
            return "Feature update failed.";
        case ErrorCode::PrincipalDeserializationFailure:
            return "Principal could not be deserialized.";
        case ErrorCode::SnapshotNotFound:
            return "Snapshot not found.";
        case ErrorCode::PositionOutOfRange:
            return "Position is outside the snapshot.";
        case ErrorCode::UnknownTopicId:
            return "Topic id is not known.";
        case ErrorCode::DuplicateBrokerRegistration:
            return "Broker id is already registered.";
        case ErrorCode::BrokerIdNotRegistered:
            return "Broker id is not registered.";
        case ErrorCode::InconsistentTopicId:
            return "Topic id does not match the topic name.";
        case ErrorCode::InconsistentClusterId:
            return "Cluster id does not match.";
        case ErrorCode::TransactionalIdNotFound:
            return "Transactional id not found.";
        case ErrorCode::FetchSessionTopicIdError:
            return "Fetch session topic ids are inconsistent.";
        case ErrorCode::IneligibleReplica:
            return "Replica is not eligible for the ISR.";
        case ErrorCode::NewLeaderElected:
            return "A new leader was elected.";
        case ErrorCode::OffsetMovedToTieredStorage:
            return "Offset is in tiered storage.";
        case ErrorCode::FencedMemberEpoch:
            return "Member epoch is fenced.";
        case ErrorCode::UnreleasedInstanceId:
            return "Instance id is still in use.";
        case ErrorCode::UnsupportedAssignor:
            return "Assignor is not supported.";
        case ErrorCode::StaleMemberEpoch:
            return "Member epoch is stale.";
        case ErrorCode::MismatchedEndpointType:
            return "Request went to the wrong kind of endpoint.";
        case ErrorCode::UnsupportedEndpointType:
            return "Endpoint type is not supported.";
        case ErrorCode::UnknownControllerId:
            return "Controller id is not known.";
        case ErrorCode::UnknownSubscriptionId:
            return "Telemetry subscription id is not known.";
        case ErrorCode::TelemetryTooLarge:
            return "Telemetry payload is too large.";
        case ErrorCode::InvalidRegistration:
            return "Registration is invalid.";
        case ErrorCode::TransactionAbortable:
            return "Transaction must be aborted.";
        case ErrorCode::InvalidRecordState:
            return "Record state is invalid.";
        case ErrorCode::ShareSessionNotFound:
            return "Share session not found.";
        case ErrorCode::InvalidShareSessionEpoch:
            return "Share session epoch is invalid.";
        case ErrorCode::FencedStateEpoch:
            return "State epoch is fenced.";
        case ErrorCode::InvalidVoterKey:
            return "Voter key is invalid.";
        case ErrorCode::DuplicateVoter:
            return "Voter is already present.";
        case ErrorCode::VoterNotFound:
            return "Voter not found.";
    }
    return "Unknown error code.";
}

bool is_retriable(ErrorCode code) {
    switch (code) {
        case ErrorCode::CorruptMessage:
        case ErrorCode::UnknownTopicOrPartition:
        case ErrorCode::LeaderNotAvailable:
        case ErrorCode::NotLeaderOrFollower:
        case ErrorCode::RequestTimedOut:
        case ErrorCode::ReplicaNotAvailable:
        case ErrorCode::NetworkException:
        case ErrorCode::CoordinatorLoadInProgress:
        case ErrorCode::CoordinatorNotAvailable:
        case ErrorCode::NotCoordinator:
        case ErrorCode::NotEnoughReplicas:
        case ErrorCode::NotEnoughReplicasAfterAppend:
        case ErrorCode::NotController:
        case ErrorCode::ConcurrentTransactions:
        case ErrorCode::KafkaStorageError:
        case ErrorCode::FetchSessionIdNotFound:
        case ErrorCode::InvalidFetchSessionEpoch:
        case ErrorCode::ListenerNotFound:
        case ErrorCode::FencedLeaderEpoch:
        case ErrorCode::UnknownLeaderEpoch:
        case ErrorCode::OffsetNotAvailable:
        case ErrorCode::PreferredLeaderNotAvailable:
        case ErrorCode::EligibleLeadersNotAvailable:
        case ErrorCode::UnstableOffsetCommit:
        case ErrorCode::ThrottlingQuotaExceeded:
        case ErrorCode::UnknownTopicId:
        case ErrorCode::InconsistentTopicId:
        case ErrorCode::FetchSessionTopicIdError:
            return true;
        default:
            return false;
    }
}

}  // namespace common::protocol
