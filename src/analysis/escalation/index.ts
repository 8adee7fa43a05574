export { ADMIN_PROBES } from './admin.js';
export {
  builtEscalationGraph,
  type EscalationEdge,
  type EscalationGraph,
  type EscalationNode,
  escalationGraph,
  type TargetedEdges,
  targetedEdges,
} from './graph.js';
export {
  canReach,
  type EscalationPath,
  type HolderPaths,
  isAdmin,
  principalsReaching,
  principalsReachingAny,
  reachableFrom,
  reachingHolders,
} from './paths.js';
export { NOT_COVERED, TECHNIQUES, type Technique, techniqueById } from './techniques.js';
