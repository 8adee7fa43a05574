export { ADMIN_PROBES } from './admin.js';
export {
  adoptEscalationGraph,
  builtEscalationGraph,
  type EdgeParts,
  type EscalationEdge,
  type EscalationGraph,
  type EscalationNode,
  edgeParts,
  escalationGraph,
  restoreEdge,
  type TargetedEdges,
  targetedEdges,
} from './graph.js';
export {
  canReach,
  type EdgesByTarget,
  type EscalationPath,
  type HolderPaths,
  isAdmin,
  principalsReaching,
  principalsReachingAny,
  reachableFrom,
  reachingHolders,
  reachingHoldersOver,
} from './paths.js';
export { NOT_COVERED, TECHNIQUES, type Technique, techniqueById } from './techniques.js';
