#pragma once
// THE handler registry: every Kafka API this broker serves is listed here exactly once, and
// ApiVersions advertises exactly this list (key, kMinVersion, kMaxVersion). Include only from
// registry.cc. To add a handler: #include its header below and add its type to AllHandlers
// (keep both sorted by API key), and list its .cc in handlers/CMakeLists.txt.

#include "broker/server/handler.h"
#include "broker/server/handlers/alter_configs.h"              // 33
#include "broker/server/handlers/api_versions.h"               // 18
#include "broker/server/handlers/create_partitions.h"          // 37
#include "broker/server/handlers/create_topics.h"              // 19
#include "broker/server/handlers/delete_groups.h"              // 42
#include "broker/server/handlers/delete_topics.h"              // 20
#include "broker/server/handlers/describe_cluster.h"           // 60
#include "broker/server/handlers/describe_configs.h"           // 32
#include "broker/server/handlers/describe_groups.h"            // 15
#include "broker/server/handlers/fetch.h"                      // 1
#include "broker/server/handlers/find_coordinator.h"           // 10
#include "broker/server/handlers/heartbeat.h"                  // 12
#include "broker/server/handlers/incremental_alter_configs.h"  // 44
#include "broker/server/handlers/init_producer_id.h"           // 22
#include "broker/server/handlers/join_group.h"                 // 11
#include "broker/server/handlers/leave_group.h"                // 13
#include "broker/server/handlers/list_groups.h"                // 16
#include "broker/server/handlers/list_offsets.h"               // 2
#include "broker/server/handlers/metadata.h"                   // 3
#include "broker/server/handlers/offset_commit.h"              // 8
#include "broker/server/handlers/offset_delete.h"              // 47
#include "broker/server/handlers/offset_fetch.h"               // 9
#include "broker/server/handlers/offset_for_leader_epoch.h"    // 23
#include "broker/server/handlers/produce.h"                    // 0
#include "broker/server/handlers/sync_group.h"                 // 14

namespace broker::server::handlers {

template <class... Hs>
struct HandlerList {};

using AllHandlers = HandlerList<ProduceHandler,                  // 0 (datapath)
                                FetchHandler,                    // 1 (datapath)
                                ListOffsetsHandler,              // 2 (datapath)
                                MetadataHandler,                 // 3
                                OffsetCommitHandler,             // 8 (groups)
                                OffsetFetchHandler,              // 9 (groups)
                                FindCoordinatorHandler,          // 10 (groups)
                                JoinGroupHandler,                // 11 (groups)
                                HeartbeatHandler,                // 12 (groups)
                                LeaveGroupHandler,               // 13 (groups)
                                SyncGroupHandler,                // 14 (groups)
                                DescribeGroupsHandler,           // 15 (groups)
                                ListGroupsHandler,               // 16 (groups)
                                ApiVersionsHandler,              // 18
                                CreateTopicsHandler,             // 19
                                DeleteTopicsHandler,             // 20
                                InitProducerIdHandler,           // 22 (datapath)
                                OffsetForLeaderEpochHandler,     // 23 (raftcore)
                                DescribeConfigsHandler,          // 32
                                AlterConfigsHandler,             // 33
                                CreatePartitionsHandler,         // 37
                                DeleteGroupsHandler,             // 42 (groups)
                                IncrementalAlterConfigsHandler,  // 44
                                OffsetDeleteHandler,             // 47 (groups)
                                DescribeClusterHandler           // 60
                                >;

}  // namespace broker::server::handlers
